using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Networks;
using GradSign.Proxies;

namespace GradSign.Tests.Proxies;

/// <summary>SNIP, GraSP, SynFlow, grad_norm, fisher, params and flops on a scripted backend: the proxy arithmetic and
/// what each asks the backend for.</summary>
public class GradientProxyTests
{
    private static readonly int[] s_scored = [0, 4, 5];

    private static double Expected(NetworkWeights w, double[][] g, Func<double, double, double> term)
        => s_scored.Sum(p => w[p].Select((t, k) => term(t, g[p][k])).Sum());

    [Fact]
    public void Snip_SumsAbsoluteWeightTimesGradient_OverScoredTensors()
    {
        var weights = TinyNetworks.Weights();
        var g = TinyNetworks.Fill(weights.Spec, (p, k) => Math.Cos(p + k) - 0.3);
        var backend = new FakeBackend { Gradients = (_, _, o) => o == Objective.CrossEntropy ? g : throw new InvalidOperationException() };

        var score = new SnipProxy().Compute(weights, TinyNetworks.Batch(), new ProxyContext(backend));

        Assert.Equal(Expected(weights, g, (t, x) => Math.Abs(t * x)), score.Value, 12);
        Assert.Equal(3, score.PerLayer!.Count);
        Assert.Equal(ExecutionOptions.Default with { }, backend.CompiledWith.Single());
        Assert.Equal(1, backend.Disposed);
    }

    [Fact]
    public void Grasp_UsesGradientAsDirectionOnScoredTensorsOnly_AndNegatesThetaTimesHg()
    {
        var weights = TinyNetworks.Weights();
        var g = TinyNetworks.Fill(weights.Spec, (p, k) => 0.1 * (p + 1) * (k % 3 - 1));
        var hg = TinyNetworks.Fill(weights.Spec, (p, k) => Math.Sin(p * 7 + k));
        var backend = new FakeBackend { Gradients = (_, _, _) => g, Hvp = (_, _) => hg };

        var score = new GraspProxy().Compute(weights, TinyNetworks.Batch(), new ProxyContext(backend));

        var direction = backend.HvpDirections.Single();
        for (var p = 0; p < weights.Spec.Parameters.Count; p++)
        {
            if (s_scored.Contains(p))
            {
                Assert.Same(g[p], direction[p]);
            }
            else
            {
                Assert.Null(direction[p]);
            }
        }

        Assert.Equal(Expected(weights, hg, (t, x) => -t * x), score.Value, 12);
    }

    [Fact]
    public void Grasp_ZeroHessianProduct_IsPositiveZero()
    {
        var weights = TinyNetworks.Weights();
        var zeros = TinyNetworks.Fill(weights.Spec, (_, _) => 0.0);
        var backend = new FakeBackend { Gradients = (_, _, _) => zeros, Hvp = (_, _) => zeros };

        var score = new GraspProxy().Compute(weights, TinyNetworks.Batch(), new ProxyContext(backend));

        Assert.Equal(0.0, score.Value);
        Assert.False(double.IsNegative(score.Value));
    }

    [Theory]
    [InlineData(BatchNormMode.RemoveRemovable)]
    [InlineData(BatchNormMode.RemoveAll)]
    [InlineData(BatchNormMode.KeepAll)]
    public void SynFlow_CompilesFloat64AbsoluteWithBatchNormMode_OnOneAllOnesImage(BatchNormMode mode)
    {
        var weights = TinyNetworks.Weights();
        var g = TinyNetworks.Fill(weights.Spec, (p, k) => (p + 1) * (k + 1) * 1e3);
        var backend = new FakeBackend { Gradients = (_, _, o) => o == Objective.SumOfLogits ? g : throw new InvalidOperationException() };

        var score = new SynFlowProxy(new SynFlowOptions { BatchNormMode = mode }).Compute(weights, TinyNetworks.Batch(), new ProxyContext(backend));

        var options = backend.CompiledWith.Single();
        Assert.Equal(Precision.Float64, options.Precision);
        Assert.Equal(ParameterTransform.Absolute, options.ParameterTransform);
        Assert.Equal(mode, options.BatchNormMode);
        var input = backend.Batches.Single();
        Assert.Equal(1, input.Count);
        Assert.Null(input.Labels);
        Assert.All(input.Images, v => Assert.Equal(1f, v));
        Assert.Equal(Expected(weights, g, (t, x) => Math.Abs(t) * Math.Abs(x)), score.Value, 6);
    }

    [Fact]
    public void SynFlow_DefaultOptions_AreZeroCostNas()
    {
        Assert.Equal(BatchNormMode.RemoveRemovable, new SynFlowProxy().Options.BatchNormMode);
        Assert.False(new SynFlowProxy().Options.LogScaled);
        Assert.Equal(BatchNormMode.RemoveAll, SynFlowOptions.NasLib.BatchNormMode);
    }

    [Theory]
    [InlineData(Math.E * Math.E, 2.0)]
    [InlineData(-Math.E, -1.0)]
    [InlineData(0.0, 0.0)]
    [InlineData(double.NaN, -18.420680743952367)]               // −1e8 → −log(1e8)
    [InlineData(double.PositiveInfinity, -18.420680743952367)]
    public void SynFlow_LogScale_FollowsNasLib(double raw, double expected)
        => Assert.Equal(expected, SynFlowProxy.LogScale(raw), 12);

    [Fact]
    public void SynFlow_LogScaledOption_TransformsValue()
    {
        var weights = TinyNetworks.Weights();
        var g = TinyNetworks.Fill(weights.Spec, (_, _) => 1.0);
        var backend = new FakeBackend { Gradients = (_, _, _) => g };

        var raw = new SynFlowProxy().Compute(weights, TinyNetworks.Batch(), new ProxyContext(backend)).Value;
        var logged = new SynFlowProxy(SynFlowOptions.NasLib).Compute(weights, TinyNetworks.Batch(), new ProxyContext(backend)).Value;

        Assert.Equal(Math.Log(raw), logged, 12);
    }

    [Fact]
    public void SynFlow_BackendWithoutFloat64_Throws()
    {
        var backend = new FakeBackend(BackendCapabilities.All & ~BackendCapabilities.Float64);
        var ex = Assert.Throws<NotSupportedException>(() => new SynFlowProxy().Compute(TinyNetworks.Weights(), TinyNetworks.Batch(), new ProxyContext(backend)));
        Assert.Contains("synflow", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GradNorm_SumsPerTensorFrobeniusNorms()
    {
        var weights = TinyNetworks.Weights();
        var g = TinyNetworks.Fill(weights.Spec, (p, k) => k == 0 ? 3.0 : k == 1 ? 4.0 : 0.0);
        var backend = new FakeBackend { Gradients = (_, _, _) => g };

        var score = new GradNormProxy().Compute(weights, TinyNetworks.Batch(), new ProxyContext(backend));

        Assert.Equal(15.0, score.Value, 12); // three scored tensors, each ‖(3, 4, 0, …)‖ = 5
    }

    [Fact]
    public void Fisher_HalfMeanSquareTimesFanIn()
    {
        var weights = TinyNetworks.Weights();
        var backend = new FakeBackend
        {
            // conv1 (layer 1, weight 0, fan-in 27): s = [[1, 2], [3, −4]] → fisher = ½·[(1+9)/2, (4+16)/2] = [2.5, 5] → 27·7.5.
            // fc (layer 7, weight 5, fan-in 2): s = [[2, 0, 0], [0, 0, 0]] → ½·[2, 0, 0] → 2·1.
            Saliencies = (_, _) => [new LayerSaliency(1, 0, 2, [1, 2, 3, -4]), new LayerSaliency(7, 5, 3, [2, 0, 0, 0, 0, 0])],
        };

        var score = new FisherProxy().Compute(weights, TinyNetworks.Batch(count: 2), new ProxyContext(backend));

        Assert.Equal((27 * 7.5) + 2.0, score.Value, 12);
        Assert.Equal([27 * 7.5, 0.0, 2.0], score.PerLayer!);
    }

    [Fact]
    public void Params_IsParameterCount_AndFlopsCountsConvAndLinearMacs()
    {
        var weights = TinyNetworks.Weights();
        var backend = new FakeBackend(BackendCapabilities.None);
        var context = new ProxyContext(backend);

        Assert.Equal(54 + 2 + 2 + 2 + 4 + 6 + 3, new ParamsProxy().Compute(weights, TinyNetworks.Batch(labels: false), context).Value);
        // conv1: 2·4·4 outputs × 27; conv2: 2·4·4 × 2; fc: 2·3.
        Assert.Equal((32 * 27) + (32 * 2) + 6, new FlopsProxy().Compute(weights, TinyNetworks.Batch(labels: false), context).Value);
        Assert.Empty(backend.CompiledWith);
    }

    [Fact]
    public void Compute_BatchShapeDiffersFromNetwork_Throws()
    {
        var batch = new Batch(new float[2 * 3 * 5 * 5], [0, 1], 2, 3, 5, 5);
        var ex = Assert.Throws<ArgumentException>(() => new SnipProxy().Compute(TinyNetworks.Weights(), batch, new ProxyContext(new FakeBackend())));
        Assert.Contains("3x5x5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_LabelOutOfRange_Throws()
    {
        var batch = new Batch(new float[2 * 3 * 4 * 4], [0, 3], 2, 3, 4, 4);
        var ex = Assert.Throws<ArgumentException>(() => new SnipProxy().Compute(TinyNetworks.Weights(), batch, new ProxyContext(new FakeBackend())));
        Assert.Contains("labels[1] = 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_Float64Context_CompilesInFloat64()
    {
        var weights = TinyNetworks.Weights();
        var backend = new FakeBackend { Gradients = (_, _, _) => TinyNetworks.Fill(weights.Spec, (_, _) => 1.0) };

        new SnipProxy().Compute(weights, TinyNetworks.Batch(), new ProxyContext(backend) { Precision = Precision.Float64 });

        Assert.Equal(Precision.Float64, backend.CompiledWith.Single().Precision);
    }
}
