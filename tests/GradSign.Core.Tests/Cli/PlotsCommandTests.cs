using GradSign.Cli.Results;
using GradSign.Tests.Data;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Cli;

/// <summary><c>gradsign correlate --plots</c> and <c>gradsign plots</c> draw the study's figures as PNG files.</summary>
public class PlotsCommandTests
{
    private static void AssertPngs(string folder, int expected)
    {
        var files = Directory.GetFiles(folder, "*.png");
        Assert.Equal(expected, files.Length);
        Assert.All(files, f => Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(f)[..4]));
    }

    /// <summary>A summary JSON file without its timings (the results file keeps them to the microsecond).</summary>
    private static string WithoutTimes(string path) => System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(path), "\"\\w*seconds\": [^,\\n]*", "");

    [RequiresDataFact]
    public void Correlate_WithPlots_DrawsTwoFiguresPerProxyAndTheRhoChart_AndPlotsRedrawsThemFromTheFile()
    {
        using var dir = new TempDirectory();
        var results = Path.Combine(dir.Path, "x.csv.tmp");
        var figures = Path.Combine(dir.Path, "figures");
        var (code, _, err) = CliRunner.Run(
            "correlate", "--dataset", "cifar10", "--proxies", "synflow,params", "--sample", "6", "--batch", "4", "--channels", "2",
            "--cells", "1", "--bootstrap", "20", "--out", results, "--plots", figures);
        Assert.True(code == 0, err);
        AssertPngs(figures, (2 * 2) + 1);

        // The same figures from the results file, as the documentation's are drawn from the committed shards.
        var gz = Path.Combine(dir.Path, "x.csv.gz");
        using (var output = new System.IO.Compression.GZipStream(File.Create(gz), System.IO.Compression.CompressionLevel.Fastest))
        {
            output.Write(File.ReadAllBytes(results));
        }

        var again = Path.Combine(dir.Path, "again");
        (code, _, err) = CliRunner.Run("plots", "--out", again, "--bootstrap", "20", gz);
        Assert.True(code == 0, err);
        AssertPngs(again, (2 * 2) + 1);
        Assert.Equal(6, StudyResultsFile.Read(gz).Rows.Count);
    }

    [RequiresDataFact]
    public void Plots_Target_CorrelatesWithThatColumn_AsCorrelateTargetDoes()
    {
        using var dir = new TempDirectory();
        string[] study = ["correlate", "--dataset", "cifar10", "--proxies", "synflow,params", "--sample", "8", "--batch", "4", "--channels", "2", "--cells", "1", "--bootstrap", "20"];
        var results = Path.Combine(dir.Path, "x.csv");
        var (code, _, err) = CliRunner.Run([.. study, "--out", results]);
        Assert.True(code == 0, err);
        var direct = Path.Combine(dir.Path, "direct.json");
        (code, _, err) = CliRunner.Run([.. study, "--target", "cifar10_test", "--out", Path.Combine(dir.Path, "y.csv"), "--summary", direct]);
        Assert.True(code == 0, err);

        var retargeted = Path.Combine(dir.Path, "retargeted.json");
        (code, _, err) = CliRunner.Run("plots", "--out", Path.Combine(dir.Path, "f"), "--bootstrap", "20", "--target", "cifar10_test", "--summary", retargeted, results);
        Assert.True(code == 0, err);
        Assert.Contains("\"target\": \"cifar10_test\"", File.ReadAllText(retargeted), StringComparison.Ordinal);
        Assert.Equal(WithoutTimes(direct), WithoutTimes(retargeted));

        (code, _, err) = CliRunner.Run("plots", "--out", Path.Combine(dir.Path, "g"), "--target", "cifar11_test", results);
        Assert.Equal(2, code);
        Assert.Contains("--target 'cifar11_test' is not a column", err, StringComparison.Ordinal);
    }

    [RequiresDataFact]
    public void Plots_PrintsTheSummaryCorrelateWrote_AndAddsVoteLines()
    {
        using var dir = new TempDirectory();
        var results = Path.Combine(dir.Path, "x.csv");
        var written = Path.Combine(dir.Path, "correlate.json");
        var (code, _, err) = CliRunner.Run(
            "correlate", "--dataset", "cifar10", "--proxies", "synflow,naswot,params", "--sample", "8", "--batch", "4", "--channels", "2",
            "--cells", "1", "--bootstrap", "20", "--out", results, "--summary", written);
        Assert.True(code == 0, err);

        var redrawn = Path.Combine(dir.Path, "plots.json");
        (code, var markdown, err) = CliRunner.Run("plots", "--out", Path.Combine(dir.Path, "f"), "--bootstrap", "20", "--summary", redrawn, results);
        Assert.True(code == 0, err);
        Assert.Equal(WithoutTimes(written), WithoutTimes(redrawn));
        Assert.Contains("| naswot", markdown, StringComparison.Ordinal);

        (code, var json, err) = CliRunner.Run("plots", "--out", Path.Combine(dir.Path, "g"), "--bootstrap", "20", "--json", "--vote", "synflow,naswot", results);
        Assert.True(code == 0, err);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var ids = document.RootElement.GetProperty("proxies").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["synflow", "naswot", "params", "vote(synflow+naswot)", "logrank(synflow+naswot)"], ids);

        (code, _, err) = CliRunner.Run("plots", "--out", Path.Combine(dir.Path, "h"), "--vote", "synflow,snip", results);
        Assert.Equal(2, code);
        Assert.Contains("--vote 'synflow,snip': no column 'snip'", err, StringComparison.Ordinal);

        (code, _, err) = CliRunner.Run("plots", "--out", Path.Combine(dir.Path, "i"), "--summary", results, results);
        Assert.Equal(2, code);
        Assert.Contains("same file", err, StringComparison.Ordinal);
    }
}
