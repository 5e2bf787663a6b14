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
        var b = pool.Rent<double>(1 << 17);
        var c = pool.Rent<double>(1 << 17);
        pool.Return(new float[16]);
        pool.Return(b);
        pool.Return(c);
        Assert.Equal(1L << 20, pool.RetainedBytes);
        pool.Return(a);
        Assert.Equal(1L << 20, pool.RetainedBytes);
        pool.Clear();
        Assert.Equal(0, pool.RetainedBytes);
    }

    [Fact]
    public void BufferPool_KeptPlusInUse_NeverExceedsTheHighWaterMark()
    {
        var pool = new BufferPool();
        var a = pool.Rent<float>(1 << 16); // 256 KiB
        var b = pool.Rent<float>(1 << 16);
        pool.Return(a);
        pool.Return(b); // idle: the period's mark is 512 KiB
        Assert.Equal(2L << 18, pool.RetainedBytes);

        // A network needing other lengths: each fresh buffer first drops kept ones, oldest first.
        var c = pool.Rent<float>(1 << 17); // 512 KiB: both kept buffers must go
        Assert.Equal(0, pool.RetainedBytes);
        Assert.Equal(1L << 19, pool.InUseBytes);
        pool.Return(c);
        Assert.Equal(1L << 19, pool.RetainedBytes);
    }

    [Fact]
    public void BufferPool_PeriodGrowingPastRecentMarks_KeepsNoSlack()
    {
        // The first period has no earlier mark: at its own peak it keeps nothing beside what it uses.
        var pool = new BufferPool();
        var a = pool.Rent<float>(1 << 16); // 256 KiB
        var b = pool.Rent<float>(1 << 14); // 64 KiB: the mark is 320 KiB
        pool.Return(b);
        Assert.Equal(1L << 16, pool.RetainedBytes);
        var c = pool.Rent<double>(1 << 13); // 64 KiB of another kind: 384 KiB with b kept, over the mark
        Assert.Equal(0, pool.RetainedBytes);
        pool.Return(c);
        pool.Return(a); // idle: the period's mark is 320 KiB

        // A later period may keep a quarter more than that mark.
        var d = pool.Rent<double>(1 << 13); // c again
        var e = pool.Rent<int>(1 << 14); // fresh: 128 KiB used and a's 256 KiB kept fit in 400 KiB
        Assert.Equal(1L << 18, pool.RetainedBytes);
        pool.Return(d);
        pool.Return(e);
    }

    [Fact]
    public void BufferPool_BuffersUnusedForRecentPeriods_AreDropped()
    {
        var pool = new BufferPool();
        var big = pool.Rent<float>(1 << 18);
        pool.Return(big); // period 1 used 1 MiB
        for (var period = 1; period < BufferPool.RecentPeriods; period++)
        {
            pool.Return(pool.Rent<float>(1 << 10)); // small periods: the big buffer is still remembered
            Assert.Equal((1L << 20) + (1L << 12), pool.RetainedBytes);
        }

        pool.Return(pool.Rent<float>(1 << 10));
        Assert.Equal(1L << 12, pool.RetainedBytes); // unused for RecentPeriods periods: dropped
    }

    [Fact]
    public void BufferPool_Closed_KeepsNothing()
    {
        var pool = new BufferPool();
        var a = pool.Rent<float>(1 << 16);
        pool.Return(pool.Rent<float>(1 << 16));
        pool.Close();
        Assert.Equal(0, pool.RetainedBytes);
        pool.Return(a);
        Assert.Equal(0, pool.RetainedBytes);
    }

    [Fact]
    public void Passes_HoldOnlyWhatLaterPassesRead()
    {
        var spec = TestNets.ByName(nameof(TestNets.MiniResNet));
        var batch = TestNets.RandomBatch(spec, 64, 7);
        using var backend = new ManagedBackend();
        using var e = backend.Compile(TestNets.Weights(spec, 8), ExecutionOptions.Default);
        var idle = backend.Pool.InUseBytes; // parameters and parameter gradients

        // A forward pass alone keeps only the logits; a backward pass keeps the activations a later pass on the same
        // batch reuses, but no gradients, whether it streams the parameter gradients or returns them.
        e.Forward(batch, new double[batch.Count * spec.NumClasses]);
        var forward = backend.Pool.InUseBytes - idle;
        e.Backward(batch, Objective.CrossEntropy, (_, _) => { });
        var streamed = backend.Pool.InUseBytes - idle;
        e.Backward(batch, Objective.CrossEntropy);
        var full = backend.Pool.InUseBytes - idle;
        Assert.True(forward < streamed, $"forward {forward} vs backward {streamed}");
        Assert.Equal(streamed, full);
    }

    [Fact]
    public void Dispose_ReleasesKeptBuffers_AndRefusesToCompile()
    {
        var spec = TestNets.ByName(nameof(TestNets.MiniResNet));
        var weights = TestNets.Weights(spec, 5);
        var backend = new ManagedBackend();
        using (var e = backend.Compile(weights, ExecutionOptions.Default))
        {
            e.Backward(TestNets.RandomBatch(spec, 8, 6), Objective.CrossEntropy);
        }

        Assert.True(backend.RetainedBufferBytes > 0);
        backend.Dispose();
        Assert.Equal(0, backend.RetainedBufferBytes);
        Assert.Throws<ObjectDisposedException>(() => backend.Compile(weights, ExecutionOptions.Default));
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
