using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Backends.TorchSharp;
using GradSign.Tests.Backends;
using Tensor = TorchSharp.torch.Tensor;

namespace GradSign.Tests.TorchSharp;

/// <summary>
/// Every pass releases its tensors: only a compiled network's parameters stay alive, until it is disposed. Counted with
/// TorchSharp's live-tensor counter, which also counts the undefined tensors autograd returns for inputs that cannot reach
/// the loss (and never uncounts them): the networks here have a dead conv and removed BatchNorms, so the backend must not
/// ask for those.
/// </summary>
public sealed class TorchSharpResourceTests
{
    [Theory]
    [InlineData(PerSampleStrategy.Loop, "Graph", BatchNormMode.KeepAll)]
    [InlineData(PerSampleStrategy.Batched, "Graph", BatchNormMode.KeepAll)]
    [InlineData(PerSampleStrategy.Loop, "RemovableBn", BatchNormMode.RemoveAll)]
    [InlineData(PerSampleStrategy.Batched, "RemovableBn", BatchNormMode.RemoveRemovable)]
    public void EveryPass_RepeatedOnCompiledNetworks_LeavesNoLiveTensors(PerSampleStrategy strategy, string network, BatchNormMode mode)
    {
        var backend = new TorchSharpBackend(new TorchSharpBackendOptions { PerSampleGradients = strategy });
        var spec = ConformanceNetworks.Get(network);
        var weights = ConformanceData.RandomWeights(spec, 1);
        var batch = ConformanceData.RandomBatch(spec, 3, 2);
        var all = Enumerable.Range(0, spec.Parameters.Count).ToArray();
        var before = Tensor.TotalCount;
        for (var round = 0; round < 3; round++)
        {
            foreach (var precision in new[] { Precision.Float32, Precision.Float64 })
            {
                using var net = backend.Compile(weights, new ExecutionOptions { Precision = precision, BatchNormMode = mode });
                var parameters = Tensor.TotalCount;
                net.Forward(batch, new double[batch.Count * spec.NumClasses]);
                net.Backward(batch, Objective.CrossEntropy, inputGradient: true);
                net.Backward(batch, Objective.SumOfLogits, (_, _) => { }, all[..2]);
                net.PerSampleGradients(batch, (_, _) => { });
                net.PerSampleGradientSignVotes(batch, all, (_, _, _) => { });
                net.HessianVectorProduct(batch, Objective.CrossEntropy, [.. spec.Parameters.Select(p => new double[p.ElementCount])]);
                net.ReluCodes(batch, (in ReluCodeBlock _) => { });
                net.OutputSaliencies(batch, Objective.CrossEntropy);
                Assert.Equal(parameters, Tensor.TotalCount);
            }
        }

        Assert.Equal(before, Tensor.TotalCount);
    }

    [Fact]
    public void FailedPass_ReleasesItsTensors()
    {
        var spec = ConformanceNetworks.ConvBnReluMaxPool();
        using var net = new TorchSharpBackend().Compile(ConformanceData.RandomWeights(spec, 3), ExecutionOptions.Default);
        var batch = ConformanceData.RandomBatch(spec, 3, 4);
        var live = Tensor.TotalCount;
        Assert.Throws<InvalidOperationException>(() => net.PerSampleGradients(batch, (n, _) => throw new InvalidOperationException($"handler stops at sample {n}")));
        Assert.Equal(live, Tensor.TotalCount);
    }

    [Fact]
    public void DisposedNetwork_ThrowsObjectDisposedException()
    {
        var spec = ConformanceNetworks.ConvBnReluMaxPool();
        var net = new TorchSharpBackend().Compile(ConformanceData.RandomWeights(spec, 5), ExecutionOptions.Default);
        net.Dispose();
        net.Dispose();
        Assert.Throws<ObjectDisposedException>(() => net.Backward(ConformanceData.RandomBatch(spec, 2, 6), Objective.SumOfLogits));
    }
}
