using GradSign.Cli.Results;
using GradSign.Cli.Studies;
using GradSign.Data;
using GradSign.Internal;
using GradSign.Networks;
using GradSign.Proxies;
using GradSign.SearchSpaces.NasBench201;
using GradSign.Tests.Backends.Reference;
using GradSign.Tests.Data;

namespace GradSign.Tests.Studies;

/// <summary>The study loop with real proxies (grad_norm, snip, synflow) on the float64 reference backend and tiny networks.</summary>
public class ProxyCellScorerTests
{
    private const string Target = "imagenet16_test";

    /// <summary>A tiny conv net on 16×16 inputs whose width depends on the arch string, so cells score differently.</summary>
    private static NetworkSpec TinySpec(string arch)
    {
        var b = new NetworkBuilder(3, 16, 16);
        var x = b.Conv2d(NetworkBuilder.Input, 2 + (arch.Length % 3), kernel: 3, stride: 4, padding: 1, weightName: "conv.weight");
        x = b.Relu(b.BatchNorm(x, "bn"));
        b.Linear(b.GlobalAvgPool(x), 120, "fc");
        return b.Build();
    }

    private static ProxyCellScorer Scorer(ulong seed)
    {
        var rng = new SplitMix64(1);
        var pixels = new byte[12 * 768];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)rng.NextInt(256);
        }

        var images = new ImageSet("synthetic", pixels, [.. Enumerable.Range(0, 12).Select(i => i % 5)], 120, 3, 16, 16);
        var sampler = new BatchSampler(images, DatasetKind.ImageNet16, new BatchOptions(BatchSize: 3, Seed: seed));
        var proxies = ProxyRegistry.CreateDefault().Resolve("grad_norm,snip,synflow");
        return new ProxyCellScorer(proxies, new ProxyContext(new ReferenceBackend()), arch => NasBench201Cell.Parse(arch).ToString(), TinySpec, sampler, seed, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
    }

    private static NasBench201StudyTable Table(TempDirectory dir)
        => new(SyntheticNasBench201.Table(dir, Target, i => $"{30 + (i % 12)}"));

    private static StudyRunOptions Options(string path) => new(path, Target, 6, 7, new StudySettings(new Dictionary<string, string> { ["seed"] = "7" }));

    private static string[] Results(string path) => [.. StudyResultsFile.Read(path).Rows.Select(r => $"{r.Index},{r.Arch},{string.Join(",", r.Scores.Select(s => s.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))},{r.Target}")];

    [Fact]
    public void Score_SameCellSameSeed_IsDeterministicAndFinite()
    {
        var arch = SyntheticNasBench201.Arch(3);
        var a = Scorer(7).Score(3, arch, CancellationToken.None);
        var b = Scorer(7).Score(3, arch, CancellationToken.None);
        Assert.Equal(a.Values, b.Values);
        Assert.All(a.Values, v => Assert.True(double.IsFinite(v)));
        Assert.NotEqual(a.Values, Scorer(8).Score(3, arch, CancellationToken.None).Values);
        Assert.Equal(["grad_norm", "snip", "synflow"], Scorer(7).ProxyIds);
    }

    [Fact]
    public void Execute_RealProxiesKilledAfterThreeCellsThenResumed_EqualsUninterruptedRun()
    {
        using var dir = new TempDirectory();
        var table = Table(dir);
        var full = Path.Combine(dir.Path, "full.csv");
        StudyRun.Execute(Options(full), table, Scorer(7));

        var killed = Path.Combine(dir.Path, "killed.csv");
        using var cts = new CancellationTokenSource();
        var progress = new Inline(p =>
        {
            if (p.Done == 3)
            {
                cts.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => StudyRun.Execute(Options(killed), table, Scorer(7), progress: progress, cancellationToken: cts.Token));
        Assert.Equal(3, StudyResultsFile.Read(killed).Rows.Count);
        File.AppendAllText(killed, "9,|none~0|+|none~0|none~1|,0.12"); // and a torn line on top, as if killed mid-write

        var result = StudyRun.Execute(Options(killed) with { Resume = true }, table, Scorer(7));
        Assert.Equal(3, result.Scored);
        Assert.Equal(Results(full), Results(killed));
    }

    private sealed class Inline(Action<StudyProgress> report) : IProgress<StudyProgress>
    {
        public void Report(StudyProgress value) => report(value);
    }
}
