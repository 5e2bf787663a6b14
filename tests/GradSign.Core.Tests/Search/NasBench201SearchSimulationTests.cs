using System.Text.Json;
using GradSign.Cli.Results;
using GradSign.Cli.Search;
using GradSign.Search;
using GradSign.SearchSpaces.NasBench201;
using GradSign.Tests.Data;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Search;

public class NasBench201SearchSimulationTests
{
    private static readonly Lazy<NasBench201Table> Final = new(() => NasBench201Table.LoadDefault(SharedPaths.Data!));
    private static readonly Lazy<NasBench201SearchSimulation> Simulation = new(() =>
        new NasBench201SearchSimulation(Final.Value, NasBench201Table.LoadTwelveEpoch(SharedPaths.Data!)));

    /// <summary>Writes a correlate-format results file whose "oracle" proxy score is a 200-epoch accuracy column.</summary>
    private static string WriteScores(TempDirectory dir, Func<NasBench201Row, bool> keep, string scoreColumn = "cifar10_test")
    {
        var schema = new StudyResultsSchema(["oracle", "noise"], "cifar10valid_split_test");
        var rows = Final.Value.Rows.Where(keep).Select(r => new StudyRow(
            r.Index, r.Arch, [r[scoreColumn], (r.Index * 7919) % 1000], r.Cifar10ValidSplitTest, [0.25, 0.01]));
        var path = Path.Combine(dir.Path, "scores.csv");
        StudyResultsFile.Write(path, new StudySettings(new Dictionary<string, string> { ["seed"] = "42" }), schema, rows);
        return path;
    }

    [RequiresDataFact]
    public void ArchCodes_EveryTableRow_RoundTripsAndCodesAreDistinct()
    {
        var codes = new HashSet<int>();
        foreach (var row in Final.Value.Rows)
        {
            var code = NasBench201Cell.Parse(row.Arch).Code;
            Assert.Equal(row.Arch, NasBench201Cell.FromCode(code).ToString());
            Assert.True(codes.Add(code));
        }

        Assert.Equal(15625, codes.Count);
    }

    [RequiresDataFact]
    public void Run_OracleProxyRandomSearch_BeatsVanillaRandomSearchOnAverage()
    {
        using var dir = new TempDirectory();
        var oracle = ProxyScoreTable.FromStudyResults(WriteScores(dir, _ => true), "oracle");
        var options = new NasBench201SearchOptions { Algorithm = SearchAlgorithm.RandomSearch, Runs = 100, Budget = 20, Seed = 1 };
        var vanilla = Simulation.Value.Run(options);
        var assisted = Simulation.Value.Run(options, oracle);
        Assert.Null(assisted.Note);
        Assert.Equal(15625, assisted.SpaceSize);
        var v = vanilla.Summary("cifar10_test");
        var a = assisted.Summary("cifar10_test");
        // Each trained cell is the best of 10 by true accuracy: the mean must rise by well over its standard error.
        Assert.True(a.Mean > v.Mean + (3 * v.Std / Math.Sqrt(v.Count)), $"oracle {a.Mean:F3} ± {a.Std:F3} vs vanilla {v.Mean:F3} ± {v.Std:F3}");
        Assert.Equal(20 * 10, assisted.ProxyCallsPerRun);
        Assert.Equal(20 * 10 * 0.25, assisted.ProxySecondsPerRun, 6);
    }

    [RequiresDataFact]
    public void Run_PartialScores_RestrictsTheSpaceAndSaysSo()
    {
        using var dir = new TempDirectory();
        var path = WriteScores(dir, r => r.Index % 10 == 0);
        var noise = ProxyScoreTable.FromStudyResults(path, "noise");
        foreach (var useProxy in new[] { true, false })
        {
            var report = Simulation.Value.Run(new NasBench201SearchOptions { Algorithm = SearchAlgorithm.RegularizedEvolution, Runs = 5, Budget = 30, UseProxy = useProxy }, noise);
            Assert.Equal(1563, report.SpaceSize);
            Assert.Contains("1,563 of 15,625", report.Note, StringComparison.Ordinal);
            Assert.All(report.Runs, r => Assert.Equal(0, r.BestIndex % 10));
            Assert.Equal(useProxy ? "noise" : null, report.Proxy);
        }
    }

    [RequiresDataFact]
    public void Run_PublishedSynflow_CoversTheCellsWithoutDeadEdges()
    {
        var synflow = ProxyScoreTable.FromPublished(Final.Value, "synflow");
        Assert.Equal(9445, synflow.Scores.Count);
        var report = Simulation.Value.Run(new NasBench201SearchOptions { Algorithm = SearchAlgorithm.Reinforce, Runs = 3, Budget = 20 }, synflow);
        Assert.Equal(9445, report.SpaceSize);
        Assert.All(report.Runs, r => Assert.False(Final.Value.GetByIndex(r.BestIndex).HasDeadEdge));
        Assert.Throws<ArgumentException>(() => ProxyScoreTable.FromPublished(Final.Value, "gradsign"));
    }

    [RequiresDataFact]
    public void Run_SameSeed_IsReproducibleAndReportsTheBestCellsTableValues()
    {
        var options = new NasBench201SearchOptions { Algorithm = SearchAlgorithm.RegularizedEvolution, Runs = 4, Budget = 50, Seed = 99 };
        var a = Simulation.Value.Run(options);
        var b = Simulation.Value.Run(options);
        Assert.Equal(a.Runs.Select(r => r.BestArch), b.Runs.Select(r => r.BestArch));
        Assert.NotEqual(a.Runs.Select(r => r.BestArch), Simulation.Value.Run(options with { Seed = 100 }).Runs.Select(r => r.BestArch));
        foreach (var run in a.Runs)
        {
            var row = Final.Value.GetByArch(run.BestArch);
            Assert.Equal(row.Index, run.BestIndex);
            Assert.Equal(row.Cifar10Test, run.Final["cifar10_test"]);
            Assert.Equal(row.ImageNet16Test, run.Final["imagenet16_test"]);
        }
    }

    [RequiresDataFact]
    public void Run_Bohb_ChargesEpochsAndJudgesTheIncumbentAtTwoHundredEpochs()
    {
        var options = new NasBench201SearchOptions { Algorithm = SearchAlgorithm.Bohb, Runs = 20, Budget = 100, Seed = 5 };
        var report = Simulation.Value.Run(options);
        Assert.Equal("cifar10_valid", Simulation.Value.FullSignalColumn);
        Assert.Equal(1200, report.BudgetEpochs);
        foreach (var run in report.Runs)
        {
            // Brackets (3 @12 + 1 @200), (2 @200), (3 @12 + 1 @200), then a 200-epoch training that no longer fits:
            // 1,072 of the 1,200 epochs, 6 short and 5 full trainings.
            Assert.Equal(new Dictionary<int, int> { [12] = 6, [200] = 5 }, run.TrainingsByEpochs);
            Assert.Equal(1072, run.Epochs);
            Assert.Equal(200, run.BestEpochs);
            Assert.Equal(Final.Value.GetByIndex(run.BestIndex)["cifar10_valid"], run.BestSignal);
        }

        var twelve = Simulation.Value.Run(options with { Fidelities = [12] });
        Assert.All(twelve.Runs, r => Assert.Equal(new Dictionary<int, int> { [12] = 100 }, r.TrainingsByEpochs));
        Assert.All(twelve.Runs, r => Assert.Equal(12, r.BestEpochs));
        var again = Simulation.Value.Run(options);
        Assert.Equal(report.Runs.Select(r => r.BestArch), again.Runs.Select(r => r.BestArch));
    }

    [Theory]
    [InlineData(new[] { 200 })]
    [InlineData(new[] { 12, 100 })]
    [InlineData(new[] { 12, 12 })]
    [InlineData(new int[0])]
    public void Options_BadFidelities_Throw(int[] fidelities)
        => Assert.Equal("Fidelities", Assert.Throws<ArgumentOutOfRangeException>(() => new NasBench201SearchOptions { Fidelities = fidelities }.Validate()).ParamName);

    [RequiresDataFact]
    public void Run_SignalColumnMismatch_Throws()
        => Assert.Throws<ArgumentException>(() => Simulation.Value.Run(new NasBench201SearchOptions { SignalColumn = "cifar100_valid_12ep", Runs = 1, Budget = 1 }));

    [Fact]
    public void MeanStd_Of_UsesTheSampleStandardDeviation()
    {
        var s = MeanStd.Of([1.0, 2.0, 3.0, 4.0]);
        Assert.Equal(2.5, s.Mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3.0), s.Std, 12);
        Assert.True(double.IsNaN(MeanStd.Of([1.0]).Std));
    }

    [RequiresDataFact]
    public void Cli_SearchJson_PrintsMeanAndStdPerDataset()
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        var code = GradSign.Cli.Cli.Run(["search", "--algo", "rea", "--proxy", "synflow", "--scores", "published", "--runs", "3", "--budget", "15", "--json"], o, e);
        Assert.Equal(0, code);
        Assert.Contains("restricted to the 9,445", e.ToString(), StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(o.ToString());
        foreach (var key in new[] { "cifar10_test", "cifar100_test", "imagenet16_test" })
        {
            var mean = doc.RootElement.GetProperty(key).GetProperty("mean").GetDouble();
            Assert.InRange(mean, 1, 100);
            Assert.True(doc.RootElement.GetProperty(key).GetProperty("std").GetDouble() >= 0);
        }

        Assert.Equal(3, doc.RootElement.GetProperty("search").GetProperty("runs").GetInt32());
    }

    [RequiresDataFact]
    public void Cli_SearchBohbJson_ReportsTheLadderAndTheCharge()
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        var code = GradSign.Cli.Cli.Run(["search", "--algorithm", "bohb", "--proxy", "synflow", "--scores", "published", "--runs", "4", "--budget", "100", "--json"], o, e);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(o.ToString());
        var search = doc.RootElement.GetProperty("search");
        Assert.Equal("bohb", search.GetProperty("algo").GetString());
        Assert.Equal(1200, search.GetProperty("budget_epochs").GetInt32());
        Assert.Equal(1072, search.GetProperty("epochs_per_run").GetDouble());
        Assert.Equal([12, 200], search.GetProperty("fidelities").EnumerateArray().Select(f => f.GetInt32()));
        Assert.Equal(5, search.GetProperty("trainings_per_run_at").GetProperty("200").GetDouble());
        Assert.Equal(3, search.GetProperty("eta").GetInt32());
        // G-BOHB: 9 new configurations per run (3 + 2 + 3 + 1), 10 candidates each.
        Assert.Equal(90, search.GetProperty("proxy_calls_per_run").GetDouble());
    }

    [Theory]
    [InlineData("search", "--algo", "bohb", "--eta", "1")]
    [InlineData("search", "--algo", "bohb", "--fidelities", "12,100")]
    [InlineData("search", "--algo", "bohb", "--fidelities", "200")]
    [InlineData("search", "--algo", "bohb", "--fidelities", "12;200")]
    [InlineData("search", "--algo", "bohb", "--random-fraction", "1.5")]
    [InlineData("search", "--algo", "bohb", "--top-percent", "0")]
    [InlineData("search", "--algo", "bohb", "--min-points", "0")]
    [InlineData("search", "--algo", "bohb", "--min-bandwidth", "1")]
    [InlineData("search", "--algo", "bohb", "--num-samples", "0")]
    [InlineData("search", "--algo", "rea", "--eta", "3")]
    [InlineData("search", "--algo", "rs", "--fidelities", "12")]
    [InlineData("search", "--algo", "nope")]
    [InlineData("search", "--algo", "rs", "--proxy", "synflow")]
    [InlineData("search", "--algo", "rs", "--proxy", "gradsign", "--scores", "published")]
    [InlineData("search", "--algo", "rs", "--budget", "0")]
    [InlineData("search", "--algo", "rs", "--warmup", "100")]
    public void Cli_Search_BadArguments_UsageError(params string[] args)
    {
        if (SharedPaths.Data is null && args.Contains("published"))
        {
            return;
        }

        using var o = new StringWriter();
        using var e = new StringWriter();
        Assert.Equal(GradSign.Cli.Cli.UsageError, GradSign.Cli.Cli.Run(args, o, e));
        Assert.StartsWith("gradsign: ", e.ToString(), StringComparison.Ordinal);
    }
}
