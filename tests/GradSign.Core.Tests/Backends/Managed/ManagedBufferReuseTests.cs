using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Backends.Managed;
using GradSign.Networks;

namespace GradSign.Tests.Backends.Managed;

/// <summary>Buffers reused between compiled networks (the backend's pool) never change a result.</summary>
public sealed class ManagedBufferReuseTests
{
    [Fact]
    public void BufferPool_ReturnedArray_IsRentedAgainUpToCapacity()
    {
        var pool = new BufferPool(1 << 20);
        var a = pool.Rent<float>(1 << 16);
        pool.Return(a);
        Assert.Equal(1L << 18, pool.RetainedBytes);
        Assert.Same(a, pool.Rent<float>(1 << 16));
        Assert.Equal(0, pool.RetainedBytes);

        // Small arrays are not kept; nor is anything beyond the capacity.
        pool.Return(new float[16]);
        pool.Return(new double[1 << 17]);
        pool.Return(new double[1 << 17]);
        Assert.Equal(1L << 20, pool.RetainedBytes);
        pool.Clear();
        Assert.Equal(0, pool.RetainedBytes);
    }

    [Fact]
    public void Constructor_NegativeCapacity_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new ManagedBackend(-1));

    [Theory]
    [InlineData(nameof(TestNets.AddZero), Precision.Float64)]
    [InlineData(nameof(TestNets.MiniResNet), Precision.Float32)]
    [InlineData(nameof(TestNets.MaxPools), Precision.Float64)]
    public void Compile_ReusedBuffers_ResultsBitIdenticalToFreshBuffers(string net, Precision precision)
    {
        var spec = TestNets.ByName(net);
        var options = new ExecutionOptions { Precision = precision };
        var batch = TestNets.RandomBatch(spec, 64, 91);
        var pooled = new ManagedBackend(1L << 30);
        var fresh = new ManagedBackend(0);

        // Two rounds with different weights: the second round's networks get the first round's stale buffers.
        foreach (var seed in new ulong[] { 92, 93 })
        {
            var weights = TestNets.Weights(spec, seed);
            var expected = Run(fresh, weights, options, batch);
            var actual = Run(pooled, weights, options, batch);
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i], actual[i]);
            }

            Assert.True(pooled.RetainedBufferBytes > 0);
            Assert.Equal(0, fresh.RetainedBufferBytes);
        }

        pooled.TrimBuffers();
        Assert.Equal(0, pooled.RetainedBufferBytes);
    }

    /// <summary>Every bulk result of one network, flattened.</summary>
    private static List<double[]> Run(ManagedBackend backend, NetworkWeights weights, ExecutionOptions options, Batch batch)
    {
        var results = new List<double[]>();
        using (var e = backend.Compile(weights, options))
        {
            var logits = new double[batch.Count * weights.Spec.NumClasses];
            e.Forward(batch, logits);
            results.Add(logits);
            var g = e.Backward(batch, Objective.CrossEntropy, inputGradient: true);
            results.AddRange(g.ParameterGradients);
            results.Add(g.InputGradient!);
            results.AddRange(e.HessianVectorProduct(batch, Objective.CrossEntropy, g.ParameterGradients));
            e.PerSampleGradients(batch, (_, grads) => results.AddRange(grads.Select(a => a.ToArray())));
            results.AddRange(e.OutputSaliencies(batch, Objective.SumOfLogits).Select(s => s.Values));
            e.ReluCodes(batch, (in ReluCodeBlock b) => results.Add([.. b.Bits.ToArray().Select(w => (double)w)]));
        }

        return results;
    }
}
