using GradSign.Backends;
using GradSign.Backends.Managed;
using GradSign.Data;
using GradSign.Networks;
using GradSign.Proxies;
using GradSign.SearchSpaces.NasBench201;

namespace GradSign.Tests.Proxies;

/// <summary>ZiCo and Zen-score behaviour that needs no oracle fixture: arithmetic on hand-made gradients, argument checks,
/// determinism and the seed rule.</summary>
public sealed class ZicoZenProxyTests
{
    private static readonly NasBench201NetworkOptions s_small = new(4, 1, 10, 8, NasBench201Variant.ZeroCostNas);

    [Fact]
    public void ZicoMath_HandComputed()
    {
        // Element 0: parts 1 and 3 → mean|g| 2, std 1 → 2. Element 1: equal parts → std 0, left out.
        // Element 2: −1 and 1 → mean|g| 1, std 1 → 1. Element 3: 0 and −4 → mean|g| 2, std 2 → 1.
        float[] gradients = [1, 5, -1, 0, /* part 2 */ 3, 5, 1, -4];
        Assert.Equal((4.0, 3), ZicoMath.RatioSum<float>(gradients, 2, 4));
        Assert.Equal((0.0, 0), ZicoMath.RatioSum<double>([0.0, 0.0, 0.0], 3, 1));
        Assert.True(double.IsNaN(ZicoMath.RatioSum<double>([1.0, double.NaN], 2, 1).Sum));

        var score = ZicoProxy.Combine<double>(ProxyIds.Zico, [[1.0, 3.0], [0.0, 0.0]], 2);
        Assert.Equal([Math.Log(2), 0.0], score.PerLayer);
        Assert.Equal(Math.Log(2), score.Value);
    }

    [Fact]
    public void Zico_Validation()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZicoOptions { Parts = 1 });
        var (weights, batch) = Network(6, count: 6);
        var context = new ProxyContext(new ManagedBackend());
        var e = Assert.Throws<ArgumentException>(() => new ZicoProxy(new ZicoOptions { Parts = 4 }).Compute(weights, batch, context));
        Assert.Contains("not a multiple of 4", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ZicoProxy().Compute(weights, new Batch(batch.Images, null, 6, 3, 8, 8), context));
        Assert.True(double.IsFinite(new ZicoProxy(new ZicoOptions { Parts = 3 }).Compute(weights, batch, context).Value));
    }

    [Fact]
    public void Zen_IgnoresLabelsAndData_DependsOnTheSeed()
    {
        var (weights, batch) = Network(7, count: 4);
        var context = new ProxyContext(new ManagedBackend());
        var seeded = new ZenScoreProxy(new ZenScoreOptions { Seed = 5 });
        var a = seeded.Compute(weights, batch, context).Value;
        Assert.True(double.IsFinite(a));

        // Only the batch's shape matters (other images, no labels), and only the seed, not the weights given.
        var other = new Batch([.. batch.Images.Select(v => -v)], null, batch.Count, 3, 8, 8);
        Assert.Equal(a, seeded.Compute(NetworkWeights.Initialize(weights.Spec, 99), other, context).Value);
        Assert.NotEqual(a, new ZenScoreProxy(new ZenScoreOptions { Seed = 6 }).Compute(weights, batch, context).Value);

        // Without a seed, the weights' bits pick the draws: same weights, same score; other weights, another one.
        var derived = new ZenScoreProxy();
        Assert.Equal(derived.Compute(weights, batch, context).Value, derived.Compute(weights.Clone(), batch, context).Value);
        Assert.NotEqual(derived.Compute(weights, batch, context).Value, derived.Compute(NetworkWeights.Initialize(weights.Spec, 99), batch, context).Value);
        Assert.False(seeded.Requirements.NeedsLabels);
        Assert.Equal(BackendCapabilities.LayerOutputs, seeded.Requirements.Capabilities);
    }

    [Fact]
    public void Zen_OptionsAndNetworkChecks()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZenScoreOptions { Repeats = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZenScoreOptions { MixupGamma = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZenScoreOptions { MixupGamma = double.NaN });

        var spec = TwoPools();
        var weights = NetworkWeights.Initialize(spec, 1);
        var batch = new Batch(new float[2 * 3 * 4 * 4], null, 2, 3, 4, 4);
        Assert.Throws<NotSupportedException>(() => new ZenScoreProxy().Compute(weights, batch, new ProxyContext(new ManagedBackend())));

        // A backend without layer outputs is refused before any work, naming the capability.
        var (w, x) = Network(8, count: 2);
        var e = Assert.Throws<NotSupportedException>(() => new ZenScoreProxy().Compute(w, x, new ProxyContext(new FakeBackend(BackendCapabilities.All & ~BackendCapabilities.LayerOutputs))));
        Assert.Contains("LayerOutputs", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Two global average pools: Zen has no single pre-pooling map to read.</summary>
    private static NetworkSpec TwoPools()
    {
        var n = new NetworkBuilder(3, 4, 4);
        var p1 = n.GlobalAvgPool(n.Conv2d(NetworkBuilder.Input, 2, kernel: 1, weightName: "c.weight"));
        var p2 = n.GlobalAvgPool(n.Conv2d(NetworkBuilder.Input, 2, kernel: 1, weightName: "d.weight"));
        n.Linear(n.Add(p1, p2), 2, "fc");
        return n.Build();
    }

    private static (NetworkWeights Weights, Batch Batch) Network(ulong seed, int count)
    {
        var spec = NasBench201Network.Build("|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_3x3~1|skip_connect~2|", s_small);
        var rng = new GradSign.Internal.SplitMix64(seed);
        var images = Enumerable.Range(0, count * 3 * 8 * 8).Select(_ => (float)rng.NextGaussian()).ToArray();
        var labels = Enumerable.Range(0, count).Select(_ => rng.NextInt(10)).ToArray();
        return (NetworkWeights.Initialize(spec, seed), new Batch(images, labels, count, 3, 8, 8));
    }
}
