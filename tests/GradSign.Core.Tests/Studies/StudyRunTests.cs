using GradSign.Cli.Results;
using GradSign.Cli.Studies;
using GradSign.SearchSpaces.NasBench201;
using GradSign.Tests.Data;

namespace GradSign.Tests.Studies;

public class StudyRunTests
{
    /// <summary>Deterministic stand-in scorer: a pure function of the cell, like a seeded proxy run.</summary>
    private sealed class HashScorer : ICellScorer
    {
        public int Calls { get; private set; }

        public IReadOnlyList<string> ProxyIds { get; } = ["alpha", "beta"];

        public CellScores Score(int index, string arch, CancellationToken cancellationToken)
        {
            Calls++;
            var h = (double)(arch.GetHashCode(StringComparison.Ordinal) & 0xFFFF);
            return new CellScores([h / 7.0, (index * 0.37) - h], [0.001 * index, 0.002]);
        }
    }

    private static NasBench201StudyTable Table(TempDirectory dir)
        => new(SyntheticNasBench201.Table(dir, "cifar10valid_split_test,cifar100_test", i => $"{80 + (i % 13)}.5,{40 + (i % 7)}"));

    private static readonly StudySettings Settings = new(new Dictionary<string, string> { ["seed"] = "5", ["batch"] = "64" });

    private static StudyRunOptions Options(string path, int? sample, ulong seed, string target = "cifar10valid_split_test")
        => new(path, target, sample, seed, Settings);

    private static string[] WithoutTimings(string path)
        => [.. StudyResultsFile.Read(path).Rows.Select(r => string.Join(",", StudyResultsFile.FormatRow(r with { Seconds = [0, 0] }, new StudyResultsSchema(["alpha", "beta"], "cifar10valid_split_test"))))];

    [Fact]
    public void Execute_CancelledAfterKCellsThenResumed_EqualsUninterruptedRun()
    {
        using var dir = new TempDirectory();
        var table = Table(dir);
        var full = Path.Combine(dir.Path, "full.csv");
        StudyRun.Execute(Options(full, 12, 5), table, new HashScorer());

        var partial = Path.Combine(dir.Path, "partial.csv");
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Done == 5)
            {
                cts.Cancel();
            }
        });
        Assert.Throws<OperationCanceledException>(() =>
            StudyRun.Execute(Options(partial, 12, 5), table, new HashScorer(), progress: progress, cancellationToken: cts.Token));
        Assert.Equal(5, StudyResultsFile.Read(partial).Rows.Count);

        var resumedScorer = new HashScorer();
        var result = StudyRun.Execute(Options(partial, 12, 5) with { Resume = true }, table, resumedScorer);
        Assert.Equal(7, resumedScorer.Calls);
        Assert.Equal((5, 7), (result.Resumed, result.Scored));
        Assert.Equal(WithoutTimings(full), WithoutTimings(partial));
    }

    [Fact]
    public void Execute_OutputTruncatedMidLineThenResumed_EqualsUninterruptedRun()
    {
        using var dir = new TempDirectory();
        var table = Table(dir);
        var full = Path.Combine(dir.Path, "full.csv");
        StudyRun.Execute(Options(full, 10, 9), table, new HashScorer());

        // Simulate a kill in the middle of writing the 7th row.
        var bytes = File.ReadAllBytes(full);
        var lineStarts = bytes.Select((b, i) => (b, i)).Where(p => p.b == (byte)'\n').Select(p => p.i + 1).ToArray();
        var cut = lineStarts[7] + 9; // lines 0 and 1 are the settings and the header
        var killed = Path.Combine(dir.Path, "killed.csv");
        File.WriteAllBytes(killed, bytes[..cut]);

        var scorer = new HashScorer();
        StudyRun.Execute(Options(killed, 10, 9) with { Resume = true }, table, scorer);
        Assert.Equal(4, scorer.Calls);
        Assert.Equal(WithoutTimings(full), WithoutTimings(killed));
    }

    [Fact]
    public void Execute_ResumeOfCompleteFile_ScoresNothing()
    {
        using var dir = new TempDirectory();
        var table = Table(dir);
        var path = Path.Combine(dir.Path, "r.csv");
        StudyRun.Execute(Options(path, 40, 1), table, new HashScorer());
        var before = File.ReadAllBytes(path);
        var scorer = new HashScorer();
        var result = StudyRun.Execute(Options(path, 40, 1) with { Resume = true }, table, scorer);
        Assert.Equal(0, scorer.Calls);
        Assert.Equal(40, result.Rows.Count);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Execute_ExistingOutputWithoutResume_Throws()
    {
        using var dir = new TempDirectory();
        var table = Table(dir);
        var path = Path.Combine(dir.Path, "r.csv");
        StudyRun.Execute(Options(path, 3, 1), table, new HashScorer());
        var ex = Assert.Throws<ArgumentException>(() => StudyRun.Execute(Options(path, 3, 1), table, new HashScorer()));
        Assert.Contains("--resume", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_ResumeWithOtherSeed_ThrowsInsteadOfMixingSamples()
    {
        using var dir = new TempDirectory();
        var table = Table(dir);
        var path = Path.Combine(dir.Path, "r.csv");
        StudyRun.Execute(Options(path, 5, 1), table, new HashScorer());
        Assert.Throws<InvalidDataException>(() => StudyRun.Execute(Options(path, 5, 2) with { Resume = true }, table, new HashScorer()));
    }

    [Fact]
    public void Execute_ResumeWithOtherScoreSetting_ThrowsAndLeavesFileAlone()
    {
        using var dir = new TempDirectory();
        var table = Table(dir);
        var path = Path.Combine(dir.Path, "r.csv");
        StudyRun.Execute(Options(path, 5, 1), table, new HashScorer());
        var before = File.ReadAllBytes(path);
        var otherBatch = new StudySettings(new Dictionary<string, string> { ["seed"] = "5", ["batch"] = "32" });
        var ex = Assert.Throws<InvalidDataException>(() => StudyRun.Execute(Options(path, 5, 1) with { Settings = otherBatch, Resume = true }, table, new HashScorer()));
        Assert.Contains("batch=64 (here: 32)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("arch")]
    [InlineData("target")]
    public void Execute_ResumedRowEdited_ThrowsNamingTheCell(string field)
    {
        using var dir = new TempDirectory();
        var table = Table(dir);
        var path = Path.Combine(dir.Path, "r.csv");
        StudyRun.Execute(Options(path, 5, 1), table, new HashScorer());
        var lines = File.ReadAllLines(path);
        var row = StudyResultsFile.Read(path).Rows[2];
        var fields = lines[4].Split(',');
        if (field == "arch")
        {
            fields[1] = SyntheticNasBench201.Arch((row.Index + 1) % 15625);
        }
        else
        {
            fields[4] = "99.5";
        }

        lines[4] = string.Join(",", fields);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        var ex = Assert.Throws<InvalidDataException>(() => StudyRun.Execute(Options(path, 5, 1) with { Resume = true }, table, new HashScorer()));
        Assert.Contains($"cell {row.Index}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_UnknownTarget_ThrowsListingColumns()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<ArgumentException>(() => StudyRun.Execute(Options(Path.Combine(dir.Path, "r.csv"), 3, 1, "nope"), Table(dir), new HashScorer()));
        Assert.Contains("cifar100_test", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void Shards_PartitionTheSampleExactlyOnce(int n)
    {
        var sample = StudySample.Select([.. Enumerable.Range(0, 15625)], 100, 3);
        var shards = Enumerable.Range(0, n).Select(i => new ShardSpec(i, n).Select(sample)).ToList();
        Assert.Equal(sample, shards.SelectMany(s => s).Order());
        Assert.All(shards, s => Assert.InRange(s.Count, 100 / n, (100 / n) + 1));
    }

    [Fact]
    public void ShardedRunsMerged_EqualSingleRun()
    {
        using var dir = new TempDirectory();
        var table = Table(dir);
        var full = Path.Combine(dir.Path, "full.csv");
        StudyRun.Execute(Options(full, 17, 4), table, new HashScorer());
        var shardFiles = Enumerable.Range(0, 3).Select(i =>
        {
            var path = Path.Combine(dir.Path, $"shard{i}.csv");
            StudyRun.Execute(Options(path, 17, 4) with { Shard = new ShardSpec(i, 3) }, table, new HashScorer());
            return path;
        }).ToList();

        var merged = Path.Combine(dir.Path, "merged.csv");
        using var o = new StringWriter();
        using var e = new StringWriter();
        var code = GradSign.Cli.Cli.Run(["merge", "--out", merged, .. shardFiles, shardFiles[0]], o, e);
        Assert.True(code == 0, e.ToString());
        Assert.Contains("17 cells", o.ToString(), StringComparison.Ordinal);
        Assert.Equal(WithoutTimings(full), WithoutTimings(merged));
    }

    [Theory]
    [InlineData("3/3")]
    [InlineData("-1/2")]
    [InlineData("1")]
    [InlineData("a/b")]
    [InlineData("0/0")]
    public void ShardSpecParse_Invalid_ThrowsNamingValue(string text)
    {
        var ex = Assert.Throws<ArgumentException>(() => ShardSpec.Parse(text));
        Assert.Contains(text, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MergeCommand_OutputIsAnInput_FailsWithUsageError()
    {
        using var dir = new TempDirectory();
        var a = Path.Combine(dir.Path, "a.csv");
        StudyResultsFile.Write(a, Settings, new StudyResultsSchema(["alpha"], "t"), []);
        using var o = new StringWriter();
        using var e = new StringWriter();
        Assert.Equal(GradSign.Cli.Cli.UsageError, GradSign.Cli.Cli.Run(["merge", "--out", a, a], o, e));
    }

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts asynchronously).</summary>
    [Fact]
    public void Execute_FirstCellFails_LeavesNoHeaderOnlyFile()
    {
        using var dir = new TempDirectory();
        var output = Path.Combine(dir.Path, "x.csv");
        Assert.Throws<InvalidOperationException>(() => StudyRun.Execute(Options(output, 4, 5), Table(dir), new FailingScorer(failAt: 1)));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Execute_LaterCellFails_KeepsTheRowsScored()
    {
        using var dir = new TempDirectory();
        var output = Path.Combine(dir.Path, "x.csv");
        Assert.Throws<InvalidOperationException>(() => StudyRun.Execute(Options(output, 4, 5), Table(dir), new FailingScorer(failAt: 3)));
        Assert.Equal(2, StudyResultsFile.Read(output).Rows.Count);
    }

    [Fact]
    public void Execute_ResumedFileAndFirstNewCellFails_KeepsTheFile()
    {
        using var dir = new TempDirectory();
        var output = Path.Combine(dir.Path, "x.csv");
        Assert.Throws<InvalidOperationException>(() => StudyRun.Execute(Options(output, 4, 5), Table(dir), new FailingScorer(failAt: 3)));
        var before = File.ReadAllBytes(output);
        Assert.Throws<InvalidOperationException>(() => StudyRun.Execute(Options(output, 4, 5) with { Resume = true }, Table(dir), new FailingScorer(failAt: 1)));
        Assert.Equal(before, File.ReadAllBytes(output));
    }

    /// <summary>Scores like <see cref="HashScorer"/> until the <c>failAt</c>-th call, which throws.</summary>
    private sealed class FailingScorer(int failAt) : ICellScorer
    {
        private int _calls;

        public IReadOnlyList<string> ProxyIds { get; } = ["alpha", "beta"];

        public CellScores Score(int index, string arch, CancellationToken cancellationToken)
            => ++_calls == failAt ? throw new InvalidOperationException("proxy failed") : new CellScores([index, 1], [0, 0]);
    }

    private sealed class SynchronousProgress(Action<StudyProgress> report) : IProgress<StudyProgress>
    {
        public void Report(StudyProgress value) => report(value);
    }
}
