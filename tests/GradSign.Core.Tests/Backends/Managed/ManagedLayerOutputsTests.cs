using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Backends.Managed;

namespace GradSign.Tests.Backends.Managed;

/// <summary><see cref="INetworkExecutor.LayerOutputs"/> beyond the conformance suite: the managed backend's reuse of held
/// passes never leaks another pass's values, and the seam's default says plainly that it is not implemented.</summary>
public sealed class ManagedLayerOutputsTests
{
    [Theory]
    [InlineData(Precision.Float32)]
    [InlineData(Precision.Float64)]
    public void LayerOutputs_AfterOtherPasses_EqualsFreshExecutor(Precision precision)
    {
        var spec = TestNets.MiniResNet();
        var weights = TestNets.Weights(spec, 51);
        var batch = TestNets.RandomBatch(spec, 4, 52);
        var options = new ExecutionOptions { Precision = precision };
        int[] layers = [.. Enumerable.Range(0, spec.Layers.Count)];
        using var fresh = TestNets.Managed.Compile(weights, options);
        var expected = Collect(fresh, batch, layers);

        using var used = TestNets.Managed.Compile(weights, options);
        used.PerSampleGradients(batch, (_, _) => { });   // per-sample statistics overwrite the values
        Assert.Equal(expected, Collect(used, batch, layers));
        used.Backward(batch, Objective.CrossEntropy);     // a held batch-statistics forward is reused
        Assert.Equal(expected, Collect(used, batch, layers));
    }

    [Fact]
    public void LayerOutputs_SeamDefault_ThrowsNotSupported()
    {
        var spec = TestNets.MiniResNet();
        using var inner = TestNets.Managed.Compile(TestNets.Weights(spec, 53), ExecutionOptions.Default);
        INetworkExecutor defaults = new DefaultsOnlyExecutor(inner);
        var e = Assert.Throws<NotSupportedException>(() => defaults.LayerOutputs(TestNets.RandomBatch(spec, 2, 54), [1], (_, _) => { }));
        Assert.Contains(nameof(BackendCapabilities.LayerOutputs), e.Message, StringComparison.Ordinal);
    }

    private static List<double[]> Collect(INetworkExecutor net, GradSign.Backends.Batch batch, int[] layers)
    {
        var outputs = new List<double[]>();
        net.LayerOutputs(batch, layers, (_, values) => outputs.Add(values.ToArray()));
        return outputs;
    }
}
