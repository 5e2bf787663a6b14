using GradSign.Backends;
using GradSign.Proxies;

namespace GradSign.Tests.Proxies;

public class GradSignProxyTests
{
    [Fact]
    public void Compute_ScriptedSigns_CountsScoredWeightsOnly()
    {
        var weights = TinyNetworks.Weights();
        var spec = weights.Spec;
        var backend = new FakeBackend
        {
            // Sample i: every element of every parameter has gradient (+1 for even i, −1 for odd i) except
            // element 0 of conv1.weight, which is +1 always, and element 1, which is 0 (−0.0 for odd samples).
            SampleGradients = (w, i) => TinyNetworks.Fill(spec, (p, k) =>
                p == 0 && k == 0 ? 1.0 : p == 0 && k == 1 ? (i % 2 == 0 ? 0.0 : -0.0) : i % 2 == 0 ? 1.0 : -1.0),
        };

        var score = new GradSignProxy().Compute(weights, TinyNetworks.Batch(count: 3), new ProxyContext(backend));

        // 3 samples: +,−,+ → |1| per ordinary weight; element 0 → |3|; element 1 → 0.
        // Scored: conv1.weight (54), conv2.weight (4), fc.weight (6) → 64 elements.
        Assert.Equal(62 + 3, score.Value);
        Assert.Equal([54 - 2 + 3, 4, 6], score.PerLayer!);
        Assert.Equal(ProxyIds.GradSign, score.ProxyId);
    }

    [Fact]
    public void Compute_NaNForOneSample_DropsThatWeight()
    {
        var weights = TinyNetworks.Weights();
        var spec = weights.Spec;
        var backend = new FakeBackend
        {
            SampleGradients = (w, i) => TinyNetworks.Fill(spec, (p, k) => p == 4 && k == 2 && i == 1 ? double.NaN : 1.0),
        };

        var score = new GradSignProxy().Compute(weights, TinyNetworks.Batch(count: 2), new ProxyContext(backend));

        Assert.Equal(2.0 * 63, score.Value);
        Assert.Equal(2.0 * 3, score.PerLayer![1]);
    }

    [Fact]
    public void Compute_MeanAggregation_DividesByNonNaNWeights()
    {
        var weights = TinyNetworks.Weights();
        var spec = weights.Spec;
        var backend = new FakeBackend
        {
            SampleGradients = (w, i) => TinyNetworks.Fill(spec, (p, k) => p == 4 && k == 2 ? double.NaN : 1.0),
        };

        var proxy = new GradSignProxy(new GradSignOptions { Aggregation = GradSignAggregation.Mean });
        var score = proxy.Compute(weights, TinyNetworks.Batch(count: 2), new ProxyContext(backend));

        Assert.Equal(2.0 * 63 / 63, score.Value);
        Assert.Equal(ProxyIds.GradSignMean, score.ProxyId);
        Assert.Equal(ProxyIds.GradSign, new GradSignProxy().Id);
    }

    [Fact]
    public void Compute_AllZeroGradients_IsExactlyZero()
    {
        var weights = TinyNetworks.Weights();
        var backend = new FakeBackend { SampleGradients = (w, i) => TinyNetworks.Fill(weights.Spec, (_, _) => 0.0) };

        var score = new GradSignProxy().Compute(weights, TinyNetworks.Batch(), new ProxyContext(backend));

        Assert.Equal(0.0, score.Value);
        Assert.False(double.IsNegative(score.Value));
    }

    [Fact]
    public void Compute_BackendWithoutPerSampleGradients_ThrowsNamingBoth()
    {
        var backend = new FakeBackend(BackendCapabilities.All & ~BackendCapabilities.PerSampleGradients);
        var ex = Assert.Throws<NotSupportedException>(() => new GradSignProxy().Compute(TinyNetworks.Weights(), TinyNetworks.Batch(), new ProxyContext(backend)));
        Assert.Contains("gradsign", ex.Message, StringComparison.Ordinal);
        Assert.Contains("fake", ex.Message, StringComparison.Ordinal);
        Assert.Empty(backend.CompiledWith);
    }

    [Fact]
    public void Compute_BatchWithoutLabels_Throws()
    {
        var backend = new FakeBackend();
        var ex = Assert.Throws<ArgumentException>(() => new GradSignProxy().Compute(TinyNetworks.Weights(), TinyNetworks.Batch(labels: false), new ProxyContext(backend)));
        Assert.Contains("labels", ex.Message, StringComparison.Ordinal);
    }
}
