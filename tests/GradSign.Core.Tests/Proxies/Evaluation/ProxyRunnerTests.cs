using GradSign.Backends;
using GradSign.Networks;
using GradSign.Proxies;
using GradSign.Proxies.Evaluation;

namespace GradSign.Tests.Proxies.Evaluation;

public class ProxyRunnerTests
{
    /// <summary>Records the weights and batch it saw; its score is the sum of the first weight tensor.</summary>
    private sealed class RecordingProxy(string id, BackendCapabilities needs = BackendCapabilities.None, bool labels = false) : IZeroCostProxy
    {
        public List<(NetworkWeights Weights, Batch Batch)> Calls { get; } = [];

        public string Id => id;

        public ProxyRequirements Requirements { get; } = new(labels, needs);

        public ProxyScore Compute(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default)
        {
            Calls.Add((weights, batch));
            return new ProxyScore(Id, weights[0].Sum(v => (double)v));
        }
    }

    private sealed class ThrowingProxy : IZeroCostProxy
    {
        public string Id => "boom";

        public ProxyRequirements Requirements { get; } = new(false, BackendCapabilities.None);

        public ProxyScore Compute(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("boom happened");
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private static IEnumerable<ArchitectureInput> Architectures(int n) =>
        Enumerable.Range(0, n).Select(i => new ArchitectureInput($"arch{i}", TinyNetworks.Spec));

    [Fact]
    public void Run_EveryProxySeesTheSameWeightsAndBatch_PerArchitecture()
    {
        var a = new RecordingProxy("a");
        var b = new RecordingProxy("b");
        var runner = new ProxyRunner(new ProxyContext(new FakeBackend()));

        var results = runner.Run(Architectures(3), [a, b], TinyNetworks.Batch()).ToList();

        Assert.Equal(3, results.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Same(a.Calls[i].Weights, b.Calls[i].Weights);
            Assert.Same(a.Calls[i].Batch, b.Calls[i].Batch);
            Assert.Equal(results[i]["a"], results[i]["b"]);
            Assert.Equal($"arch{i}", results[i].Name);
            Assert.Equal(TinyNetworks.Weights(results[i].WeightSeed!.Value)[0], a.Calls[i].Weights[0]);
        }

        Assert.NotEqual(results[0]["a"], results[1]["a"]); // different seeds per architecture
    }

    [Fact]
    public void Run_WeightsDependOnSeedAndKeyOnly_NotOnPosition()
    {
        // The same architecture gets the same weights wherever it stands in the stream, and the weights are those of
        // NetworkWeights.Initialize(spec, seed, key) — what the command line and the library use for one cell.
        var runner = new ProxyRunner(new ProxyContext(new FakeBackend()));
        var proxy = new RecordingProxy("a");
        var inputs = Architectures(3).ToList();
        runner.Run(inputs, [proxy], TinyNetworks.Batch(), new ProxyRunOptions { Seed = 7 }).ToList();
        runner.Run([inputs[2]], [proxy], TinyNetworks.Batch(), new ProxyRunOptions { Seed = 7 }).ToList();

        Assert.Equal(proxy.Calls[2].Weights[0], proxy.Calls[3].Weights[0]);
        Assert.Equal(NetworkWeights.Initialize(TinyNetworks.Spec(), 7, ArchitectureKey.FromName("arch2"))[0], proxy.Calls[3].Weights[0]);
        Assert.Equal(ArchitectureKey.FromName("arch2"), inputs[2].Key);
    }

    [Fact]
    public void Run_SameSeed_IsDeterministic_OtherSeedDiffers()
    {
        var runner = new ProxyRunner(new ProxyContext(new FakeBackend()));
        double[] Scores(ulong seed) => [.. runner.Run(Architectures(4), [new RecordingProxy("a")], TinyNetworks.Batch(), new ProxyRunOptions { Seed = seed }).Select(r => r["a"])];

        Assert.Equal(Scores(11), Scores(11));
        Assert.NotEqual(Scores(11), Scores(12));
    }

    [Fact]
    public void Run_FixedWeights_AreUsedAsGiven()
    {
        var weights = TinyNetworks.Weights(99);
        var proxy = new RecordingProxy("a");
        var result = new ProxyRunner(new ProxyContext(new FakeBackend())).Run([ArchitectureInput.FromWeights("fixed", weights)], [proxy], TinyNetworks.Batch()).Single();

        Assert.Same(weights, proxy.Calls.Single().Weights);
        Assert.Null(result.WeightSeed);
    }

    [Fact]
    public void Run_MissingCapability_ThrowsBeforeEnumeratingArchitectures()
    {
        var enumerated = false;
        IEnumerable<ArchitectureInput> Lazy()
        {
            enumerated = true;
            yield return ArchitectureInput.FromSpec("x", TinyNetworks.Spec());
        }

        var runner = new ProxyRunner(new ProxyContext(new FakeBackend(BackendCapabilities.None)));
        var ex = Assert.Throws<NotSupportedException>(() => runner.Run(Lazy(), [new RecordingProxy("a"), new GradSignProxy()], TinyNetworks.Batch()));
        Assert.Contains("gradsign", ex.Message, StringComparison.Ordinal);
        Assert.Contains("fake", ex.Message, StringComparison.Ordinal);
        Assert.False(enumerated);
    }

    [Fact]
    public void Run_LabelsMissing_ThrowsArgumentExceptionBeforeAnyWork()
    {
        var runner = new ProxyRunner(new ProxyContext(new FakeBackend()));
        var proxy = new RecordingProxy("needs", labels: true);
        Assert.Throws<ArgumentException>(() => runner.Run(Architectures(1), [proxy], TinyNetworks.Batch(labels: false)));
        Assert.Empty(proxy.Calls);
    }

    [Fact]
    public void Run_DuplicateProxyIds_Throws()
        => Assert.Throws<ArgumentException>(() => new ProxyRunner(new ProxyContext(new FakeBackend())).Run(Architectures(1), [new RecordingProxy("a"), new RecordingProxy("a")], TinyNetworks.Batch()));

    [Fact]
    public void Run_IsLazy_AndYieldsPerArchitecture()
    {
        var proxy = new RecordingProxy("a");
        var runner = new ProxyRunner(new ProxyContext(new FakeBackend()));
        using var e = runner.Run(Architectures(5), [proxy], TinyNetworks.Batch()).GetEnumerator();

        Assert.Empty(proxy.Calls);
        Assert.True(e.MoveNext());
        Assert.Single(proxy.Calls);
        Assert.True(e.MoveNext());
        Assert.Equal(2, proxy.Calls.Count);
    }

    [Fact]
    public void Run_ReportsProgressPerProxy_AndTimesEachProxy()
    {
        var reports = new List<ProxyProgressInfo>();
        var runner = new ProxyRunner(new ProxyContext(new FakeBackend()));

        var results = runner.Run(Architectures(2), [new RecordingProxy("a"), new RecordingProxy("b")], TinyNetworks.Batch(), progress: new SyncProgress<ProxyProgressInfo>(reports.Add)).ToList();

        Assert.Equal(4, reports.Count);
        Assert.Equal(["a", "b", "a", "b"], reports.Select(r => r.ProxyId));
        Assert.Equal([0, 1, 1, 2], reports.Select(r => r.ArchitecturesDone));
        Assert.All(results.SelectMany(r => r.Results), r => Assert.True(r.Elapsed >= TimeSpan.Zero));
    }

    [Fact]
    public void Run_CancelledBetweenArchitectures_Throws()
    {
        using var cts = new CancellationTokenSource();
        var runner = new ProxyRunner(new ProxyContext(new FakeBackend()));
        var seen = 0;
        Assert.Throws<OperationCanceledException>(() =>
        {
            foreach (var _ in runner.Run(Architectures(10), [new RecordingProxy("a")], TinyNetworks.Batch(), cancellationToken: cts.Token))
            {
                if (++seen == 2)
                {
                    cts.Cancel();
                }
            }
        });
        Assert.Equal(2, seen);
    }

    [Fact]
    public void Run_ProxyThrows_RunEndsWithItsException()
    {
        var runner = new ProxyRunner(new ProxyContext(new FakeBackend()));
        Assert.Throws<InvalidOperationException>(() => runner.Run(Architectures(1), [new ThrowingProxy()], TinyNetworks.Batch()).ToList());
    }

    [Fact]
    public void Run_BatchProvider_GetsArchitectureAndSpec()
    {
        var requested = new List<string>();
        var proxy = new RecordingProxy("a");
        var runner = new ProxyRunner(new ProxyContext(new FakeBackend()));

        runner.Run(Architectures(3), [proxy], (a, spec) => { requested.Add(a.Name); return TinyNetworks.Batch(count: requested.Count); }).ToList();

        Assert.Equal(["arch0", "arch1", "arch2"], requested);
        Assert.Equal([1, 2, 3], proxy.Calls.Select(c => c.Batch.Count));
    }
}
