using System.Text.Json;
using GradSign.Cli.Commands;
using GradSign.Cli.Results;
using GradSign.Cli.Studies;
using GradSign.Data;
using GradSign.SearchSpaces.NasBench201;
using GradSign.Tests.Backends.Reference;
using GradSign.Tests.Data;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Studies;

/// <summary>
/// <c>gradsign correlate</c> end to end on the real data: NB201 networks shrunk to C=2, N=1, batches of 4, cheap proxies,
/// the float64 reference backend — seconds, not hours.
/// </summary>
public class CorrelateCommandTests
{
    private static CorrelateSettings Settings(string output, int sample = 5) => new(
        DatasetKind.Cifar10, ["synflow", "grad_norm", "snip"], sample, 4, 11, Nb201Variant.ZeroCostNas, BatchPipeline.ZeroCostNas,
        NasBench201Columns.Cifar10ValidSplitTest, output, SharedPaths.Data!)
    {
        Channels = 2,
        CellsPerStage = 1,
        BootstrapSamples = 20,
    };

    private static string[] WithoutTimings(string path)
        => [.. StudyResultsFile.Read(path).Rows.Select(r => $"{r.Index},{r.Arch},{string.Join(",", r.Scores.Select(s => s.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))},{r.Target}")];

    [RequiresDataFact]
    public void Run_Json_PrintsTheSummaryFileOnStandardOutput()
    {
        using var dir = new TempDirectory();
        var summary = Path.Combine(dir.Path, "summary.json");
        using var output = new StringWriter();
        Assert.Equal(0, CorrelateCommand.Run(Settings(Path.Combine(dir.Path, "r.csv")) with { Json = true, SummaryPath = summary }, output, TextWriter.Null, new ReferenceBackend()));
        Assert.Equal(File.ReadAllText(summary).Trim(), output.ToString().Trim());
        using var doc = JsonDocument.Parse(output.ToString());
        Assert.Equal(5, doc.RootElement.GetProperty("n").GetInt32());
    }

    [RequiresDataFact]
    public void Run_KilledMidLineThenResumed_EqualsUninterruptedRunAndWritesSummary()
    {
        using var dir = new TempDirectory();
        var full = Path.Combine(dir.Path, "full.csv");
        var json = Path.Combine(dir.Path, "summary.json");
        using var output = new StringWriter();
        Assert.Equal(0, CorrelateCommand.Run(Settings(full) with { SummaryPath = json }, output, TextWriter.Null, new ReferenceBackend()));
        Assert.Equal(5, StudyResultsFile.Read(full).Rows.Count);
        Assert.All(StudyResultsFile.Read(full).Rows, r => Assert.All(r.Scores, s => Assert.True(double.IsFinite(s))));
        Assert.Contains("| synflow", output.ToString(), StringComparison.Ordinal);

        using (var doc = JsonDocument.Parse(File.ReadAllBytes(json)))
        {
            Assert.Equal("cifar10valid_split_test", doc.RootElement.GetProperty("target").GetString());
            Assert.Equal(5, doc.RootElement.GetProperty("n").GetInt32());
            var synflow = doc.RootElement.GetProperty("proxies").GetProperty("synflow");
            Assert.Equal(0.737, synflow.GetProperty("published_abs_spearman").GetDouble());
            Assert.Equal("zc_c10_synflow", synflow.GetProperty("zc_column").GetString());
        }

        // A kill in the middle of the 4th row: keep three rows and half a line.
        var bytes = File.ReadAllBytes(full);
        var newlines = bytes.Select((b, i) => (b, i)).Where(p => p.b == (byte)'\n').Select(p => p.i).ToArray();
        var killed = Path.Combine(dir.Path, "killed.csv");
        File.WriteAllBytes(killed, bytes[..(newlines[3] + 12)]);
        Assert.Equal(0, CorrelateCommand.Run(Settings(killed) with { Resume = true }, TextWriter.Null, TextWriter.Null, new ReferenceBackend()));
        Assert.Equal(WithoutTimings(full), WithoutTimings(killed));
    }

    [RequiresDataFact]
    public void Run_TwoShardsMerged_EqualSingleRun()
    {
        using var dir = new TempDirectory();
        var full = Path.Combine(dir.Path, "full.csv");
        Assert.Equal(0, CorrelateCommand.Run(Settings(full, 4), TextWriter.Null, TextWriter.Null, new ReferenceBackend()));
        var shards = new[] { 0, 1 }.Select(i =>
        {
            var path = Path.Combine(dir.Path, $"s{i}.csv");
            Assert.Equal(0, CorrelateCommand.Run(Settings(path, 4) with { Shard = new ShardSpec(i, 2) }, TextWriter.Null, TextWriter.Null, new ReferenceBackend()));
            return path;
        }).ToArray();
        var merged = Path.Combine(dir.Path, "merged.csv");
        Assert.Equal(0, GradSign.Cli.Cli.Run(["merge", "--out", merged, .. shards], TextWriter.Null, TextWriter.Null));
        Assert.Equal(WithoutTimings(full), WithoutTimings(merged));
    }

    [RequiresDataFact]
    public void Run_CancelledBeforeStart_ReturnsInterruptedAndKeepsFile()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "r.csv");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var error = new StringWriter();
        Assert.Equal(CorrelateCommand.Interrupted, CorrelateCommand.Run(Settings(path), TextWriter.Null, error, new ReferenceBackend(), cts.Token));
        Assert.Contains("--resume", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--sample", "0")]
    [InlineData("--shard", "2/2")]
    [InlineData("--dataset", "mnist")]
    [InlineData("--variant", "naslib")]
    [InlineData("--space", "nb301")]
    public void Cli_BadOption_ExitsWithUsageErrorNamingValue(string option, string value)
    {
        using var error = new StringWriter();
        var code = GradSign.Cli.Cli.Run(["correlate", "--out", "x.csv", "--data", Path.GetTempPath(), option, value], TextWriter.Null, error);
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        Assert.Contains(value, error.ToString(), StringComparison.Ordinal);
    }
}
