using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Data;
using GradSign.Networks;

namespace GradSign.Tests.Backends.Managed;

/// <summary>A pass reusing the values and gradients an earlier pass left in the workspace gives bit-identical results
/// to a pass on a fresh network, and nothing is reused when the batch, its labels or the objective differ.</summary>
public sealed class ManagedPassReuseTests
{
    public static TheoryData<string, Objective> Cases() => new()
    {
        { nameof(TestNets.MiniResNet), Objective.CrossEntropy },
        { nameof(TestNets.MiniResNet), Objective.SumOfLogits },
        { nameof(TestNets.AddZero), Objective.CrossEntropy },
        { nameof(TestNets.MaxPools), Objective.CrossEntropy },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void HessianVectorProduct_AfterBackwardOnSameBatch_MatchesFreshNetwork(string net, Objective objective)
    {
        var (weights, batch, v) = Setup(net);
        var expected = FreshHvp(weights, batch, objective, v);
        using var e = TestNets.Managed.Compile(weights, TestNets.F64);
        e.Backward(batch, objective);
        AssertSame(expected, e.HessianVectorProduct(batch, objective, v));

        // Again (values and gradients still held), then after a pass that overwrote them with per-sample statistics.
        AssertSame(expected, e.HessianVectorProduct(batch, objective, v));
        e.PerSampleGradients(batch, (_, _) => { });
        AssertSame(expected, e.HessianVectorProduct(batch, objective, v));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void HessianVectorProduct_AfterBackwardOnOtherBatchLabelsOrObjective_MatchesFreshNetwork(string net, Objective objective)
    {
        var (weights, batch, v) = Setup(net);
        var expected = FreshHvp(weights, batch, objective, v);
        using var e = TestNets.Managed.Compile(weights, TestNets.F64);

        // Other objective.
        e.Backward(batch, objective == Objective.CrossEntropy ? Objective.SumOfLogits : Objective.CrossEntropy);
        AssertSame(expected, e.HessianVectorProduct(batch, objective, v));

        // Other labels (same images).
        var relabelled = new Batch(batch.Images, [.. batch.Labels!.Select(l => (l + 1) % weights.Spec.NumClasses)], batch.Count, batch.Channels, batch.Height, batch.Width);
        e.Backward(relabelled, objective);
        AssertSame(expected, e.HessianVectorProduct(batch, objective, v));

        // The caller changed the images in place after the backward pass.
        var images = batch.Images.ToArray();
        var mutable = new Batch(images, batch.Labels, batch.Count, batch.Channels, batch.Height, batch.Width);
        var other = TestNets.RandomBatch(weights.Spec, batch.Count, 99);
        other.Images.CopyTo(images, 0);
        e.Backward(mutable, objective);
        batch.Images.CopyTo(images, 0);
        AssertSame(expected, e.HessianVectorProduct(mutable, objective, v));
    }

    [Fact]
    public void Backward_AfterForwardAndReluCodes_MatchesFreshNetwork()
    {
        var (weights, batch, _) = Setup(nameof(TestNets.MiniResNet));
        using var fresh = TestNets.Managed.Compile(weights, TestNets.F64);
        var expected = fresh.Backward(batch, Objective.CrossEntropy);
        using var e = TestNets.Managed.Compile(weights, TestNets.F64);
        e.Forward(batch, new double[batch.Count * weights.Spec.NumClasses]);
        e.ReluCodes(batch, (in ReluCodeBlock _) => { });
        var actual = e.Backward(batch, Objective.CrossEntropy);
        Assert.Equal(expected.Value, actual.Value);
        AssertSame(expected.ParameterGradients, actual.ParameterGradients);
    }

    private static (NetworkWeights Weights, Batch Batch, double[][] Vector) Setup(string net)
    {
        var spec = TestNets.ByName(net);
        var weights = TestNets.Weights(spec, 101);
        var batch = TestNets.RandomBatch(spec, 4, 102);
        var rng = new GradSign.Internal.SplitMix64(103);
        var v = spec.Parameters.Select(p => Enumerable.Range(0, p.ElementCount).Select(_ => rng.NextGaussian()).ToArray()).ToArray();
        return (weights, batch, v);
    }

    private static double[][] FreshHvp(NetworkWeights weights, Batch batch, Objective objective, double[][] v)
    {
        using var e = TestNets.Managed.Compile(weights, TestNets.F64);
        return e.HessianVectorProduct(batch, objective, v);
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
