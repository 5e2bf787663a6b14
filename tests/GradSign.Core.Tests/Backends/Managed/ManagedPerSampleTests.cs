using GradSign.Backends;
using GradSign.Backends.Managed;

namespace GradSign.Tests.Backends.Managed;

/// <summary>Per-sample gradients equal separate batch-1 backward passes.</summary>
public sealed class ManagedPerSampleTests
{
    public static TheoryData<string, Precision> Cases()
    {
        var data = new TheoryData<string, Precision>();
        foreach (var (name, _) in TestNets.All())
        {
            data.Add(name, Precision.Float64);
            data.Add(name, Precision.Float32);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PerSampleGradients_EqualSeparateBatchOfOneBackward(string net, Precision precision)
    {
        var spec = TestNets.ByName(net);
        var weights = TestNets.Weights(spec, 21);
        var batch = TestNets.RandomBatch(spec, 5, 22);
        var options = new ExecutionOptions { Precision = precision };
        using var e = ManagedBackend.Instance.Compile(weights, options);
        using var single = ManagedBackend.Instance.Compile(weights, options);
        var seen = new List<int>();
        e.PerSampleGradients(batch, (n, grads) =>
        {
            seen.Add(n);
            var expected = single.Backward(TestNets.Sample(batch, n), Objective.CrossEntropy);
            var scale = expected.ParameterGradients.SelectMany(a => a).Max(Math.Abs);
            var tolerance = precision == Precision.Float64 ? 1e-12 : 2e-5;
            for (var p = 0; p < grads.Count; p++)
            {
                ManagedGradientTests.AssertClose(expected.ParameterGradients[p], grads[p], tolerance, $"sample {n} {spec.Parameters[p].Name}", scale);
            }
        });
        Assert.Equal(Enumerable.Range(0, batch.Count), seen);
    }

    [Fact]
    public void PerSampleGradients_DoesNotDisturbLaterBatchStatisticsPasses()
    {
        var spec = TestNets.MiniResNet();
        var weights = TestNets.Weights(spec, 3);
        var batch = TestNets.RandomBatch(spec, 4, 4);
        using var e = ManagedBackend.Instance.Compile(weights, TestNets.F64);
        var before = e.Backward(batch, Objective.CrossEntropy);
        e.PerSampleGradients(batch, (_, _) => { });
        var after = e.Backward(batch, Objective.CrossEntropy);
        Assert.Equal(before.Value, after.Value);
        for (var p = 0; p < before.ParameterGradients.Length; p++)
        {
            Assert.Equal(before.ParameterGradients[p], after.ParameterGradients[p]);
        }
    }

    [Fact]
    public void PerSampleGradients_OneOrFourThreads_GiveIdenticalResults()
    {
        var spec = TestNets.MiniResNet();
        var weights = TestNets.Weights(spec, 7);
        var batch = TestNets.RandomBatch(spec, 5, 8);
        double[][][] Run(int threads)
        {
            using var e = ManagedBackend.Instance.Compile(weights, ExecutionOptions.Default with { MaxDegreeOfParallelism = threads });
            var all = new List<double[][]>();
            e.PerSampleGradients(batch, (_, g) => all.Add([.. g.Select(a => (double[])a.Clone())]));
            return [.. all];
        }

        var one = Run(1);
        var four = Run(4);
        Assert.Equal(one.Length, four.Length);
        for (var n = 0; n < one.Length; n++)
        {
            for (var p = 0; p < one[n].Length; p++)
            {
                Assert.Equal(one[n][p], four[n][p]);
            }
        }
    }

    [Fact]
    public void PerSampleGradients_Cancelled_Throws()
    {
        var spec = TestNets.ConvBnRelu();
        using var e = ManagedBackend.Instance.Compile(TestNets.Weights(spec, 1), ExecutionOptions.Default);
        using var cts = new CancellationTokenSource();
        var calls = 0;
        Assert.Throws<OperationCanceledException>(() => e.PerSampleGradients(TestNets.RandomBatch(spec, 3, 1), (_, _) =>
        {
            calls++;
            cts.Cancel();
        }, cts.Token));
        Assert.Equal(1, calls);
    }
}
