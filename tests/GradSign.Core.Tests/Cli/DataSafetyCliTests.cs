using System.Text.Json;
using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Cli.Commands;
using GradSign.Cli.Results;
using GradSign.Data;
using GradSign.Networks;
using GradSign.Proxies;
using GradSign.SearchSpaces.NasBench201;
using GradSign.Tests.Data;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Cli;

/// <summary>No silent wrong numbers and no lost results from the command line: outputs that would overwrite each other or
/// an input, concurrent writers, a proxy's failure, invalid thread counts, and the same draws for a cell and seed from
/// every entry point.</summary>
public class DataSafetyCliTests
{
    private static string[] Correlate(string output, params string[] extra)
        => ["correlate", "--dataset", "cifar10", "--proxies", "synflow,naswot", "--sample", "2", "--batch", "4", "--channels", "2", "--cells", "1", "--bootstrap", "0", "--out", output, .. extra];

    [Fact]
    public void Correlate_SummarySameFileAsOut_RefusedBeforeAnyWork()
    {
        using var dir = new TempDirectory();
        var results = Path.Combine(dir.Path, "x.csv");
        var (code, _, err) = CliRunner.Run(Correlate(results, "--summary", results));
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        Assert.Contains("--summary", err, StringComparison.Ordinal);
        Assert.Contains("--out", err, StringComparison.Ordinal);
        Assert.False(File.Exists(results));
    }

    [Fact]
    public void Correlate_SummaryThroughSymbolicLinkToOut_Refused()
    {
        using var dir = new TempDirectory();
        var results = Path.Combine(dir.Path, "x.csv");
        var link = Path.Combine(dir.Path, "sub");
        Directory.CreateSymbolicLink(link, dir.Path);
        var (code, _, err) = CliRunner.Run(Correlate(results, "--summary", Path.Combine(link, "x.csv")));
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        Assert.Contains("same file", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public void Correlate_InvalidThreads_RefusedNamingTheOption(string threads)
    {
        using var dir = new TempDirectory();
        var (code, _, err) = CliRunner.Run(Correlate(Path.Combine(dir.Path, "x.csv"), "--threads", threads));
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        Assert.Contains($"--threads {threads}", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--out")]
    [InlineData("--summary")]
    public void Correlate_UnwritableOutput_RefusedBeforeAnyWork(string option)
    {
        using var dir = new TempDirectory();
        var file = dir.Write("plain-file", [1]);
        var results = Path.Combine(dir.Path, "x.csv");
        string[] args = option == "--out"
            ? Correlate(dir.Path)
            : Correlate(results, "--summary", Path.Combine(file, "summary.json"));
        var (code, _, err) = CliRunner.Run(args);
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        Assert.Contains(option, err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(results));
    }

    [Fact]
    public void Merge_OutThroughSymbolicLinkToAnInput_RefusedAndInputKept()
    {
        using var dir = new TempDirectory();
        var input = Path.Combine(dir.Path, "a.csv");
        StudyResultsFile.Write(input, new StudySettings(new Dictionary<string, string> { ["seed"] = "1" }), new StudyResultsSchema(["alpha"], "t"), [new StudyRow(0, "|a~0|", [1], 2, [0])]);
        var before = File.ReadAllBytes(input);
        var link = Path.Combine(dir.Path, "link.csv");
        File.CreateSymbolicLink(link, input);
        var (code, _, err) = CliRunner.Run("merge", "--out", link, input);
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        Assert.Contains("same file", err, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    [Fact]
    public void Merge_InputError_LeavesNoOutputFile()
    {
        using var dir = new TempDirectory();
        var a = Path.Combine(dir.Path, "a.csv");
        var b = dir.Write("b.csv", "index,arch\n"u8.ToArray());
        StudyResultsFile.Write(a, new StudySettings(new Dictionary<string, string> { ["seed"] = "1" }), new StudyResultsSchema(["alpha"], "t"), [new StudyRow(0, "|a~0|", [1], 2, [0])]);
        var merged = Path.Combine(dir.Path, "m.csv");
        var (code, _, err) = CliRunner.Run("merge", "--out", merged, a, b);
        Assert.Equal(GradSign.Cli.Cli.Failure, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(merged));
    }

    [RequiresDataFact]
    public void Correlate_OutLockedByAnotherWriter_FailsWithoutTouchingIt()
    {
        using var dir = new TempDirectory();
        var results = Path.Combine(dir.Path, "x.csv");
        Assert.Equal(0, CliRunner.Run(Correlate(results)).Code);
        var before = File.ReadAllBytes(results);
        using (new FileStream(results, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            var (code, _, err) = CliRunner.Run(Correlate(results, "--resume"));
            Assert.Equal(GradSign.Cli.Cli.Failure, code);
            Assert.Contains("locked", err, StringComparison.Ordinal);
        }

        Assert.Equal(before, File.ReadAllBytes(results));
    }

    [RequiresDataFact]
    public void Correlate_ResumeWithOtherBatch_Refused()
    {
        using var dir = new TempDirectory();
        var results = Path.Combine(dir.Path, "x.csv");
        Assert.Equal(0, CliRunner.Run(Correlate(results)).Code);
        var args = Correlate(results, "--resume");
        args[Array.IndexOf(args, "--batch") + 1] = "5";
        var (code, _, err) = CliRunner.Run(args);
        Assert.Equal(GradSign.Cli.Cli.Failure, code);
        Assert.Contains("batch=4 (here: 5)", err, StringComparison.Ordinal);
    }

    [RequiresDataFact]
    public void ScoreDataset_ProxyThrows_IsAnErrorNotNaN()
    {
        var request = new ScoreDataset.Request(
            NasBench201Cell.Uniform(NasBench201Operation.NorConv3x3), NasBench201Variant.ZeroCostNas, 2, 1, DatasetKind.Cifar10,
            BatchPipeline.ZeroCostNas, 4, 42, "snip", null);
        Assert.Throws<OutOfMemoryException>(() => ScoreDataset.Run(request, new ThrowingBackend()));
    }

    [RequiresDataFact]
    public void SameCellAndSeed_ScoreCorrelateAndLibrary_GiveIdenticalNumbers()
    {
        using var dir = new TempDirectory();
        var results = Path.Combine(dir.Path, "x.csv");
        Assert.Equal(0, CliRunner.Run(Correlate(results, "--seed", "77")).Code);
        var row = StudyResultsFile.Read(results).Rows[0];

        var (code, output, err) = CliRunner.Run(
            "score", "--space", "nb201", "--arch", row.Arch, "--dataset", "cifar10", "--batch", "4", "--seed", "77",
            "--channels", "2", "--cells", "1", "--proxies", "synflow,naswot", "--json");
        Assert.True(code == 0, err);
        var scored = JsonDocument.Parse(output).RootElement.GetProperty("proxies");
        Assert.Equal(row.Scores[0], scored.GetProperty("synflow").GetDouble());
        Assert.Equal(row.Scores[1], scored.GetProperty("naswot").GetDouble());

        // The library, as the README's quick start does it.
        var cell = NasBench201Cell.Parse(row.Arch);
        var weights = NetworkWeights.Initialize(NasBench201Network.Build(cell, new NasBench201NetworkOptions(Channels: 2, CellsPerStage: 1)), seed: 77, cell.Key);
        var images = ImageDatasets.Load(SharedPaths.Data!, DatasetKind.Cifar10, DatasetSplit.Train);
        var batch = new BatchSampler(images, DatasetKind.Cifar10, new BatchOptions(BatchSize: 4, Seed: 77)).GetBatch(cell.Key);
        var context = new ProxyContext(new GradSign.Backends.Managed.ManagedBackend());
        Assert.Equal(row.Scores[0], new SynFlowProxy().Compute(weights, batch, context).Value);
        Assert.Equal(row.Scores[1], new NaswotProxy().Compute(weights, batch, context).Value);
    }

    /// <summary>A backend whose networks cannot be compiled: the proxy's failure must surface as an error.</summary>
    private sealed class ThrowingBackend : ITensorBackend
    {
        public string Name => "throwing";

        public BackendCapabilities Capabilities => BackendCapabilities.All;

        public INetworkExecutor Compile(NetworkWeights weights, ExecutionOptions options) => throw new OutOfMemoryException("no memory for the network");
    }
}
