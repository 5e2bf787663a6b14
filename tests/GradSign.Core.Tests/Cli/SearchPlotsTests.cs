using System.Text.Json;
using GradSign.Cli.Plots;
using GradSign.Cli.Results;
using GradSign.Cli.Search;
using GradSign.Search;
using GradSign.SearchSpaces.NasBench201;
using GradSign.Tests.Data;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Cli;

/// <summary><c>gradsign search --plots</c>: the runs' best-so-far trajectories and the PNG curves drawn from them.</summary>
public class SearchPlotsTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly Lazy<NasBench201Table> Final = new(() => NasBench201Table.LoadDefault(SharedPaths.Data!));
    private static readonly Lazy<NasBench201SearchSimulation> Simulation = new(() =>
        new NasBench201SearchSimulation(Final.Value, NasBench201Table.LoadTwelveEpoch(SharedPaths.Data!)));

    private static void AssertFigures(string folder)
    {
        var names = Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal<string>(["search-cifar100_test.png", "search-cifar10_test.png", "search-imagenet16_test.png", "search-signal.png"], names);
        foreach (var file in Directory.GetFiles(folder))
        {
            var bytes = File.ReadAllBytes(file);
            Assert.Equal(PngSignature, bytes[..8]);
            Assert.True(bytes.Length > 5_000, $"{file}: {bytes.Length} bytes");
            // The IHDR chunk (after the signature and its length and type) gives the size: 800 × 500.
            Assert.Equal(800, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
            Assert.Equal(500, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        }
    }

    private static IReadOnlyDictionary<string, double> Accuracies(double value) =>
        NasBench201SearchSimulation.ReportColumns.ToDictionary(c => c, _ => value, StringComparer.Ordinal);

    [Fact]
    public void Trajectory_FollowsTheIncumbentRule_HighestFidelityFirstThenFirstTrainedAmongTies()
    {
        var history = new (int, double, IReadOnlyDictionary<string, double>)[]
        {
            (0, 50, Accuracies(1)), (0, 60, Accuracies(2)), (0, 60, Accuracies(3)), (1, 40, Accuracies(4)), (0, 99, Accuracies(5)), (1, 45, Accuracies(6)),
        };
        var points = NasBench201SearchTrajectory.Build(history, [1.0, 200 / 12.0]);
        Assert.Equal([50.0, 60, 60, 40, 40, 45], points.Select(p => p.Signal));
        // Ties keep the first-trained cell (accuracy 2, not 3); a higher fidelity takes over even with a lower signal.
        Assert.Equal([1.0, 2, 2, 4, 4, 6], points.Select(p => p.Final["cifar10_test"]));
        Assert.Equal([1.0, 2, 3, 3 + (200 / 12.0), 4 + (200 / 12.0), 4 + (400 / 12.0)], points.Select(p => p.Spent));
    }

    [Fact]
    public void Write_SyntheticRuns_DrawsFourPngFigures_AndTheCurveIsTheMeanOverRuns()
    {
        // Two runs of a 4-training search: best-so-far 1,3,3,4 and 2,2,5,5 (signal = accuracy).
        NasBench201SearchRun Run(int r, double[] best) => new(r, (ulong)r, "a", 0, best[^1], Accuracies(best[^1]), 0, 0, 12, new Dictionary<int, int> { [12] = 4 })
        {
            Trajectory = [.. best.Select((b, i) => new NasBench201TrajectoryPoint(i + 1, b, Accuracies(b)))],
        };
        var options = new NasBench201SearchOptions { Runs = 2, Budget = 4, UseProxy = false };
        var report = new NasBench201SearchReport(options, null, null, 15_625, null, [Run(0, [1, 3, 3, 4]), Run(1, [2, 2, 5, 5])]);
        var curve = SearchPlots.Summarise(report, p => p.Final["cifar10_test"]);
        Assert.Equal([1.0, 2, 3, 4], curve.Spent);
        Assert.Equal([1.5, 2.5, 4, 4.5], curve.Mean);
        Assert.Equal(Math.Sqrt(0.5), curve.Std[0], 12);
        Assert.Equal(report.Summary("cifar10_test").Mean, curve.Mean[^1]);
        Assert.Equal(report.Summary("cifar10_test").Std, curve.Std[^1], 12);

        using var dir = new TempDirectory();
        var folder = Path.Combine(dir.Path, "new", "figures");
        var files = SearchPlots.Write(folder, [report, report with { Proxy = "synflow", Options = options with { UseProxy = true } }]);
        Assert.Equal(4, files.Count);
        AssertFigures(folder);
    }

    [Theory]
    [InlineData("file")]
    [InlineData("file/below")]
    public void Search_PlotsFolderThatIsNotAFolder_IsRefusedInOneLineBeforeAnyTableIsRead(string plots)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "file"), "x");
        // A data folder that does not exist: were the tables read first, the error would name it instead.
        var (code, output, err) = CliRunner.Run(
            "search", "--algo", "rs", "--runs", "1", "--budget", "2", "--data", Path.Combine(dir.Path, "no-data"), "--plots", Path.Combine(dir.Path, plots));
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.StartsWith("gradsign: --plots", err, StringComparison.Ordinal);
        Assert.Contains("not a folder", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--algo", "rs,rs", "twice")]
    [InlineData("--algo", "rs,,rea", "empty item")]
    [InlineData("--algo", "rs,bogus", "Unknown search algorithm 'bogus'")]
    [InlineData("--proxy", "none,synflow", "--proxy synflow needs --scores")]
    public void Search_BadLists_AreRefusedInOneLine(string option, string value, string message)
    {
        string[] args = option == "--algo" ? ["search", "--algo", value] : ["search", "--algo", "rs", option, value];
        var (code, _, err) = CliRunner.Run([.. args, "--data", "/nonexistent-gradsign-data"]);
        Assert.Equal(2, code);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.Contains(message, err, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_PublishedWithAResultsFile_IsRefusedInOneLine()
    {
        var (code, _, err) = CliRunner.Run("search", "--algo", "rs", "--scores", "published", "x.csv", "--data", "/nonexistent-gradsign-data");
        Assert.Equal(2, code);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.Contains("published stands alone", err, StringComparison.Ordinal);
    }

    [RequiresDataFact]
    public void Search_ScoresFromShards_AreMergedAndGiveTheNumbersOfOneFile()
    {
        using var dir = new TempDirectory();
        var schema = new StudyResultsSchema(["oracle"], "cifar10valid_split_test");
        var settings = new StudySettings(new Dictionary<string, string> { ["seed"] = "42" });
        var kept = Final.Value.Rows.Where(r => r.Index % 20 == 0).ToList();
        StudyRow Row(NasBench201Row r) => new(r.Index, r.Arch, [r.Cifar10Test], r.Cifar10ValidSplitTest, [0.5]);
        string Write(string name, IEnumerable<NasBench201Row> rows)
        {
            var path = Path.Combine(dir.Path, name);
            StudyResultsFile.Write(path, settings, schema, rows.Select(Row));
            return path;
        }

        var all = Write("all.csv", kept);
        var a = Write("a.csv", kept.Where(r => r.Index % 40 == 0));
        var b = Write("b.csv", kept.Where(r => r.Index % 40 != 0));
        string[] common = ["search", "--algo", "rs", "--proxy", "none,oracle", "--runs", "3", "--budget", "10", "--json", "--scores"];
        var (code, shards, err) = CliRunner.Run([.. common, a, b]);
        Assert.True(code == 0, err);
        var (code2, one, err2) = CliRunner.Run([.. common, all]);
        Assert.True(code2 == 0, err2);
        var shardLines = shards.TrimEnd().Split('\n');
        var oneLines = one.TrimEnd().Split('\n');
        Assert.Equal(2, shardLines.Length);
        for (var i = 0; i < 2; i++)
        {
            var x = JsonDocument.Parse(shardLines[i]).RootElement;
            var y = JsonDocument.Parse(oneLines[i]).RootElement;
            Assert.Equal(kept.Count, x.GetProperty("search").GetProperty("cells").GetInt32());
            Assert.Equal(y.GetProperty("cifar10_test").GetRawText(), x.GetProperty("cifar10_test").GetRawText());
            Assert.Equal(y.GetProperty("search").GetProperty("proxy_seconds_per_run").GetDouble(), x.GetProperty("search").GetProperty("proxy_seconds_per_run").GetDouble());
        }

        Assert.Equal($"{a}, {b}", ProxyScoreTable.FromStudyResults([a, b], "oracle").Source);
    }

    [RequiresDataTheory]
    [InlineData(SearchAlgorithm.RandomSearch, false)]
    [InlineData(SearchAlgorithm.RegularizedEvolution, true)]
    [InlineData(SearchAlgorithm.Reinforce, false)]
    [InlineData(SearchAlgorithm.Bohb, false)]
    [InlineData(SearchAlgorithm.Bohb, true)]
    public void Run_Trajectory_IsOnePointPerTrainingAndEndsAtTheReportedBest(SearchAlgorithm algorithm, bool oneFidelity)
    {
        var options = new NasBench201SearchOptions
        {
            Algorithm = algorithm, Runs = 6, Budget = 40, Seed = 3, UseProxy = false,
            Fidelities = oneFidelity ? [NasBench201SearchOptions.TwelveEpochs] : [NasBench201SearchOptions.TwelveEpochs, NasBench201SearchOptions.FullEpochs],
        };
        var report = Simulation.Value.Run(options);
        var singleFidelity = algorithm != SearchAlgorithm.Bohb || oneFidelity;
        foreach (var run in report.Runs)
        {
            var points = run.Trajectory;
            Assert.Equal(run.Trainings, points.Count);
            Assert.Equal(run.Epochs / 12.0, points[^1].Spent, 9);
            Assert.True(points[^1].Spent <= options.Budget * (1 + 1e-12));
            Assert.All(points.Zip(points.Skip(1)), p => Assert.True(p.Second.Spent > p.First.Spent));
            if (singleFidelity)
            {
                // The best signal so far never falls; with one fidelity every training counts 1.
                Assert.All(points.Zip(points.Skip(1)), p => Assert.True(p.Second.Signal >= p.First.Signal));
                Assert.Equal(Enumerable.Range(1, points.Count).Select(i => (double)i), points.Select(p => p.Spent));
            }

            Assert.Equal(run.BestSignal, points[^1].Signal);
            Assert.Equal(run.Final, points[^1].Final);
            var row = Final.Value.GetByArch(run.BestArch);
            Assert.Equal(row.Cifar10Test, points[^1].Final["cifar10_test"]);
        }

        // The curve's last point is the reported mean ± std.
        var curve = SearchPlots.Summarise(report, p => p.Final["cifar10_test"]);
        Assert.Equal(report.Summary("cifar10_test").Mean, curve.Mean[^1], 9);
        Assert.Equal(report.Summary("cifar10_test").Std, curve.Std[^1], 9);
    }

    [RequiresDataFact]
    public void Search_WithPlots_WritesTheFiguresOfEverySearch_DeterministicallyAndWithTheNumbersOfSingleSearches()
    {
        using var dir = new TempDirectory();
        string[] common = ["--runs", "3", "--budget", "25", "--seed", "5", "--scores", "published", "--json"];
        var (code, output, err) = CliRunner.Run(["search", "--algo", "rea,bohb", "--proxy", "none,synflow", .. common, "--plots", Path.Combine(dir.Path, "a")]);
        Assert.True(code == 0, err);
        AssertFigures(Path.Combine(dir.Path, "a"));
        Assert.Contains("wrote 4 figures of 4 searches", err, StringComparison.Ordinal);
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(4, lines.Length);

        // Each line is what the single search prints.
        var (code2, single, _) = CliRunner.Run(["search", "--algo", "bohb", "--proxy", "synflow", .. common]);
        Assert.Equal(0, code2);
        Assert.Equal(single.TrimEnd(), lines[3].TrimEnd());
        Assert.Equal("rea", JsonDocument.Parse(lines[0]).RootElement.GetProperty("search").GetProperty("algo").GetString());

        // The same seed draws the same figures.
        (code, _, err) = CliRunner.Run(["search", "--algo", "rea,bohb", "--proxy", "none,synflow", .. common, "--plots", Path.Combine(dir.Path, "b")]);
        Assert.True(code == 0, err);
        foreach (var name in SearchPlots.FileNames)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir.Path, "a", name)), File.ReadAllBytes(Path.Combine(dir.Path, "b", name)));
        }
    }
}
