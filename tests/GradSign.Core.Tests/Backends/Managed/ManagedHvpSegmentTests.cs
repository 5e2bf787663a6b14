using GradSign.Backends;
using GradSign.Backends.Execution;
using GradSign.Backends.Managed;
using GradSign.Networks;
using GradSign.SearchSpaces.NasBench201;
using Xunit.Abstractions;

namespace GradSign.Tests.Backends.Managed;

/// <summary>
/// The Hessian-vector product recomputes segments of the network (between NAS-Bench-201 cells) instead of holding every
/// value and tangent: the products are those of a network keeping everything, bit for bit, and the pass holds no more
/// than the backward pass before it.
/// </summary>
public sealed class ManagedHvpSegmentTests(ITestOutputHelper output)
{
    private const string BestCell = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";

    public static TheoryData<string, Precision> Cells() => new()
    {
        { BestCell, Precision.Float32 },
        { BestCell, Precision.Float64 },
        { "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|", Precision.Float32 },
        { "|nor_conv_1x1~0|+|none~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|none~2|", Precision.Float32 },
        { "|skip_connect~0|+|none~0|nor_conv_1x1~1|+|nor_conv_3x3~0|skip_connect~1|avg_pool_3x3~2|", Precision.Float64 },
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void HessianVectorProduct_RecomputingSegments_BitIdenticalToKeepingEverything(string cell, Precision precision)
    {
        var spec = NasBench201Network.Build(cell, new NasBench201NetworkOptions(Channels: 8, CellsPerStage: 3, InputSize: 16));
        var weights = TestNets.Weights(spec, 11);
        var batch = TestNets.RandomBatch(spec, 6, 12);
        var options = new ExecutionOptions { Precision = precision };
        using var keeping = new ManagedBackend(new ManagedBackendOptions { RecomputeCheapLayers = false });
        using var recomputing = new ManagedBackend();
        using var expected = keeping.Compile(weights, options);
        using var actual = recomputing.Compile(weights, options);
        var counts = precision == Precision.Float32
            ? ((ManagedExecutor<float>)actual).HvpSegmentCounts
            : ((ManagedExecutor<double>)actual).HvpSegmentCounts;
        output.WriteLine($"recomputed {counts.Recomputed}, refreshed {counts.Refreshed}");
        Assert.True(counts.Recomputed >= 2, $"{counts.Recomputed} segments recomputed");
        Assert.True(counts.Refreshed >= 1, $"{counts.Refreshed} segments refreshed");

        // GraSP's order (a backward pass, then the product reusing its values), a second product on values it no longer
        // holds, and one with an arbitrary direction.
        foreach (var objective in new[] { Objective.CrossEntropy, Objective.SumOfLogits })
        {
            var g = expected.Backward(batch, objective).ParameterGradients;
            Assert.Equal(g, actual.Backward(batch, objective).ParameterGradients);
            AssertSame(expected.HessianVectorProduct(batch, objective, g), actual.HessianVectorProduct(batch, objective, g));
            AssertSame(expected.HessianVectorProduct(batch, objective, g), actual.HessianVectorProduct(batch, objective, g));
        }

        var v = spec.Parameters.Select((p, i) => Enumerable.Range(0, p.ElementCount).Select(j => Math.Sin(i + (0.1 * j))).ToArray()).ToArray();
        AssertSame(expected.HessianVectorProduct(batch, Objective.CrossEntropy, v), actual.HessianVectorProduct(batch, Objective.CrossEntropy, v));
    }

    [Fact]
    public void HessianVectorProduct_AfterBackward_HoldsLittleMoreThanTheBackwardPass()
    {
        // Before segments the product held the backward pass's values plus as many tangents, well above the backward
        // pass's peak; now its tangent forward pass starts from those values less the top segments', and its sweep holds
        // a few segments. On top of the backward pass it needs the parameters' tangents and gradient tangents.
        var spec = NasBench201Network.Build(BestCell, new NasBench201NetworkOptions(CellsPerStage: 5));
        var weights = TestNets.Weights(spec, 5);
        var batch = TestNets.RandomBatch(spec, 8, 6);
        var activation = spec.Layers.Max(l => l.OutputShape.Aggregate(1L, (a, d) => a * d)) * batch.Count * sizeof(float);
        var parameters = spec.Parameters.Sum(p => (long)p.ElementCount) * sizeof(float);
        var (backward, product) = Peaks(new ManagedBackend(), weights, batch);
        var (_, keeping) = Peaks(new ManagedBackend(new ManagedBackendOptions { RecomputeCheapLayers = false }), weights, batch);
        output.WriteLine($"backward {backward}, product {product}, product keeping everything {keeping}, activation {activation}, parameters {parameters}");
        Assert.True(product <= backward + (2 * parameters) + (2 * activation), $"product {product} vs backward {backward} + 2 × parameters {parameters} + 2 × activation {activation}");
        Assert.True(product < 0.6 * keeping, $"product {product} vs keeping everything {keeping}");
    }

    private static (long Backward, long Product) Peaks(ManagedBackend backend, NetworkWeights weights, Batch batch)
    {
        using (backend)
        {
            using var e = backend.Compile(weights, ExecutionOptions.Default);
            var idle = backend.Pool.InUseBytes;
            backend.Pool.ResetHighWater();
            var g = e.Backward(batch, Objective.CrossEntropy).ParameterGradients;
            var backward = backend.Pool.HighWaterBytes - idle;
            backend.Pool.ResetHighWater();
            e.HessianVectorProduct(batch, Objective.CrossEntropy, g);
            return (backward, backend.Pool.HighWaterBytes - idle);
        }
    }

    private static void AssertSame(double[][] expected, double[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }
}
