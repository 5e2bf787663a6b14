using System.Globalization;
using System.Text.Json;
using GradSign.Tests.Infrastructure;
using GradSign.Tests.Statistics;

namespace GradSign.Tests.Cli;

public sealed class StatsCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradsign-stats-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteCsv(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string WriteGoldenCase(ScipyGoldenCase c)
    {
        static string Cell(double v) => double.IsNaN(v) ? "nan" : v.ToString("R", CultureInfo.InvariantCulture);
        var lines = c.X.Zip(c.Y).Select(p => $"a{Cell(p.First)},{Cell(p.First)},{Cell(p.Second)}");
        return WriteCsv(c.Name + ".csv", "arch,score,acc\n" + string.Join("\n", lines) + "\n");
    }

    [Theory]
    [InlineData("nan_in_x")]
    [InlineData("ties_both")]
    [InlineData("random_ties_n100")]
    public void Stats_JsonDefaultOmit_MatchesScipyGolden(string caseName)
    {
        var c = ScipyGolden.Cases[caseName];
        var (code, output, error) = CliRunner.Run("stats", "--csv", WriteGoldenCase(c), "--x", "score", "--y", "acc", "--json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(["n", "spearman", "kendall_tau_b", "pearson"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(c.X.Zip(c.Y).Count(p => !double.IsNaN(p.First) && !double.IsNaN(p.Second)), root.GetProperty("n").GetInt32());
        StatisticsAssert.Close(c.Expected["spearman_omit"], root.GetProperty("spearman").GetDouble(), 1e-12);
        StatisticsAssert.Close(c.Expected["kendall_tau_b_omit"], root.GetProperty("kendall_tau_b").GetDouble(), 1e-12);
        StatisticsAssert.Close(c.Expected["pearson_omit"], root.GetProperty("pearson").GetDouble(), 1e-12);
    }

    [Fact]
    public void Stats_PropagateWithNaN_PrintsNaNStringsAndAllPairs()
    {
        var path = WriteCsv("p.csv", "x,y\n1,2\n,3\nNaN,4\n5,6\n");
        var (code, output, _) = CliRunner.Run("stats", "--csv", path, "--x", "x", "--y", "y", "--nan", "propagate", "--json");
        Assert.Equal(0, code);
        // Strict JSON has no NaN: every command writes it as the string "NaN" (null means absent, not undefined).
        Assert.Equal("{\"n\":4,\"spearman\":\"NaN\",\"kendall_tau_b\":\"NaN\",\"pearson\":\"NaN\"}", output.Trim());
    }

    [Fact]
    public void Stats_MissingColumn_ExitsTwoWithOneLineNamingIt()
    {
        var path = WriteCsv("m.csv", "x,y\n1,2\n2,3\n");
        var (code, _, error) = CliRunner.Run("stats", "--csv", path, "--x", "x", "--y", "accuracy", "--json");
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'accuracy'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Stats_NonNumericCell_FailsNamingRowAndColumn()
    {
        var path = WriteCsv("bad.csv", "x,y\n1,2\n2,3\n3,oops\n");
        var (code, _, error) = CliRunner.Run("stats", "--csv", path, "--x", "x", "--y", "y");
        Assert.Equal(GradSign.Cli.Cli.Failure, code); // bad data, not a bad option
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("row 3", error, StringComparison.Ordinal);
        Assert.Contains("'y'", error, StringComparison.Ordinal);
        Assert.Contains("oops", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Stats_ShortRow_FailsNamingRowAndColumn()
    {
        var path = WriteCsv("short.csv", "x,y\n1,2\n3\n4,5\n");
        var (code, _, error) = CliRunner.Run("stats", "--csv", path, "--x", "x", "--y", "y");
        Assert.Equal(GradSign.Cli.Cli.Failure, code); // bad data, not a bad option
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("row 2", error, StringComparison.Ordinal);
        Assert.Contains("'y'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Stats_UnclosedQuote_FailsWithOneLine()
    {
        var path = WriteCsv("quote.csv", "x,y\n1,\"2\n3,4\n");
        var (code, _, error) = CliRunner.Run("stats", "--csv", path, "--x", "x", "--y", "y");
        Assert.Equal(GradSign.Cli.Cli.Failure, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("quote.csv", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Stats_NamedColumnTwiceInHeader_FailsNamingIt()
    {
        var path = WriteCsv("dup.csv", "x,y,x\n1,2,9\n2,3,8\n3,4,7\n");
        var (code, _, error) = CliRunner.Run("stats", "--csv", path, "--x", "x", "--y", "y");
        Assert.Equal(GradSign.Cli.Cli.Failure, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'x'", error, StringComparison.Ordinal);
        Assert.Contains("twice", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Stats_UnclosedQuoteInHeader_FailsWithOneLine()
    {
        var path = WriteCsv("hq.csv", "x,\"y\n1,2\n");
        var (code, _, error) = CliRunner.Run("stats", "--csv", path, "--x", "x", "--y", "y");
        Assert.Equal(GradSign.Cli.Cli.Failure, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("unexpected", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Stats_InfinityCells_AreValues()
    {
        var path = WriteCsv("inf.csv", "x,y\n-inf,1\n2,2\ninf,4\nInfinity,3\n");
        var (code, output, error) = CliRunner.Run("stats", "--csv", path, "--x", "x", "--y", "y", "--json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(4, json.RootElement.GetProperty("n").GetInt32());
        Assert.Equal(GradSign.Statistics.RankCorrelation.Spearman([-1e300, 2, 1e300, 1e300], [1, 2, 4, 3]), json.RootElement.GetProperty("spearman").GetDouble());
    }

    [Fact]
    public void Stats_WithoutJson_PrintsReadableTable()
    {
        var path = WriteCsv("t.csv", "score,acc\n1,1\n2,3\n3,2\n4,4\n");
        var (code, output, error) = CliRunner.Run("stats", "--csv", path, "--x", "score", "--y", "acc");
        Assert.True(code == 0, error);
        Assert.Contains("Spearman", output, StringComparison.Ordinal);
        Assert.Contains("Kendall tau-b", output, StringComparison.Ordinal);
        Assert.Contains("Pearson", output, StringComparison.Ordinal);
        // ρ = 1 − 6·Σd²/(n(n²−1)) = 1 − 6·2/60 = 0.8 for ranks (1,2,3,4) vs (1,3,2,4).
        Assert.Contains("0.800000", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Stats_BadNanValue_IsUsageError()
    {
        var path = WriteCsv("n.csv", "x,y\n1,2\n");
        var (code, _, error) = CliRunner.Run("stats", "--csv", path, "--x", "x", "--y", "y", "--nan", "drop");
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        Assert.Contains("drop", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Stats_MissingFile_Fails()
    {
        var (code, _, error) = CliRunner.Run("stats", "--csv", Path.Combine(_folder, "none.csv"), "--x", "x", "--y", "y");
        Assert.Equal(GradSign.Cli.Cli.Failure, code);
        Assert.Contains("none.csv", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bdn_ListFlat_ForwardsToBenchmarkSwitcherWithoutRunning()
    {
        // BenchmarkDotNet prints the list to the process console; the exit code shows the arguments reached it.
        Assert.Equal(0, GradSign.Benchmarks.Program.Main(["bdn", "--list", "flat", "--filter", "*KendallBenchmarks*"]));
    }

    [Fact]
    public void Help_ListsTheCommands()
    {
        var (code, output, _) = CliRunner.Run("--help");
        Assert.Equal(0, code);
        foreach (var command in new[] { "data", "correlate", "merge", "score", "stats", "search", "bench" })
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }
    }
}
