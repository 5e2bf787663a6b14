using GradSign.Backends;
using GradSign.Networks;
using GradSign.Proxies;
using GradSign.Tests.Backends.Reference;

namespace GradSign.Tests.Proxies;

/// <summary>Proxies on the naive float64 reference backend, on tiny networks, checked against independent paths.</summary>
public class EndToEndProxyTests
{
    private static readonly ProxyContext s_context = new(new ReferenceBackend());

    [Fact]
    public void GradSign_EqualsSignCountsOfSingleSampleBackwardPasses()
    {
        var weights = TinyNetworks.Weights(3);
        var batch = TinyNetworks.Batch(count: 5);
        var score = new GradSignProxy().Compute(weights, batch, s_context);

        // Independent path: a batch of one sample is exactly "forwarded alone".
        var scored = weights.Spec.Parameters.Where(p => p.IsScored).ToList();
        var votes = scored.Select(p => new long[p.ElementCount]).ToList();
        using var network = s_context.Backend.Compile(weights, s_context.ToExecutionOptions());
        for (var i = 0; i < batch.Count; i++)
        {
            var one = new Batch(batch.Images.AsSpan(i * batch.SampleSize, batch.SampleSize).ToArray(), [batch.Labels![i]], 1, 3, 4, 4);
            var g = network.Backward(one, GradSign.Backends.Execution.Objective.CrossEntropy).ParameterGradients;
            for (var t = 0; t < scored.Count; t++)
            {
                for (var k = 0; k < votes[t].Length; k++)
                {
                    votes[t][k] += Math.Sign(g[scored[t].Index][k]);
                }
            }
        }

        Assert.Equal(votes.Sum(v => v.Sum(Math.Abs)), score.Value);
        Assert.True(score.Value > 0);
    }

    [Fact]
    public void Naswot_DuplicatedSample_IsNegativeInfinity()
    {
        var weights = TinyNetworks.Weights(3);
        var batch = TinyNetworks.Batch(count: 4, labels: false);
        var images = (float[])batch.Images.Clone();
        images.AsSpan(0, batch.SampleSize).CopyTo(images.AsSpan(2 * batch.SampleSize)); // sample 2 := sample 0
        var duplicated = new Batch(images, null, 4, 3, 4, 4);

        Assert.True(double.IsFinite(new NaswotProxy().Compute(weights, batch, s_context).Value));
        Assert.Equal(double.NegativeInfinity, new NaswotProxy().Compute(weights, duplicated, s_context).Value);
    }

    [Fact]
    public void InputIndependentLogits_GradientProxiesZero_JacobCovNaN_FisherPositive()
    {
        // conv → BN → ReLU → zero (NB201 'none') → GAP → linear: logits do not depend on the input or the conv.
        var b = new NetworkBuilder(3, 4, 4);
        var x = b.Conv2d(NetworkBuilder.Input, 2, kernel: 3, padding: 1, weightName: "conv.weight");
        x = b.Relu(b.BatchNorm(x, "bn"), wrapperNamedRelu: true);
        b.Linear(b.GlobalAvgPool(b.Zero(x)), 3, "fc");
        var weights = NetworkWeights.Initialize(b.Build(), 5);
        var batch = TinyNetworks.Batch(count: 4);

        AssertPositiveZero(new SnipProxy().Compute(weights, batch, s_context).Value);
        AssertPositiveZero(new GraspProxy().Compute(weights, batch, s_context).Value);
        AssertPositiveZero(new GradNormProxy().Compute(weights, batch, s_context).Value);
        AssertPositiveZero(new GradSignProxy().Compute(weights, batch, s_context).Value);
        Assert.True(double.IsNaN(new JacobCovProxy().Compute(weights, batch, s_context).Value));
        // The classifier's own saliency (logits · (softmax − onehot)/B) keeps fisher positive, as in the reference.
        Assert.True(new FisherProxy().Compute(weights, batch, s_context).Value > 0);
    }

    private static void AssertPositiveZero(double value)
    {
        Assert.Equal(0.0, value);
        Assert.False(double.IsNegative(value), "expected +0.0, got -0.0");
    }
}
