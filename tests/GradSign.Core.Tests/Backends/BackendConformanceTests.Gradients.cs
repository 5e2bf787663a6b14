using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Tests.Backends;

public abstract partial class BackendConformanceTests
{
    [Theory]
    [MemberData(nameof(AllNetworksAndObjectives))]
    public void Backward_ParameterGradients_MatchCentralFiniteDifferences(string network, Objective objective)
    {
        var spec = ConformanceNetworks.Get(network);
        AssertGradientsMatchFiniteDifferences(ConformanceData.RandomWeights(spec, 21), ConformanceData.RandomBatch(spec, 3, 22), objective, Float64, 23);
    }

    [Theory]
    [InlineData(BatchNormMode.KeepAll)]
    [InlineData(BatchNormMode.RemoveRemovable)]
    [InlineData(BatchNormMode.RemoveAll)]
    public void Backward_EachBatchNormMode_GradientsMatchCentralFiniteDifferences(BatchNormMode mode)
    {
        var spec = ConformanceNetworks.RemovableBn(includeRemovable: true, includeFixed: true);
        AssertGradientsMatchFiniteDifferences(ConformanceData.RandomWeights(spec, 24), ConformanceData.RandomBatch(spec, 3, 25), Objective.CrossEntropy, Float64 with { BatchNormMode = mode }, 26);
    }

    [Fact]
    public void Backward_AbsoluteTransform_GradientsAreWithRespectToAbsoluteWeights()
    {
        // Finite differences of the transformed network, taken on weights that are already positive (and kept away
        // from the kink of |θ| at 0 by one grid step), so the transform is the identity near them.
        var spec = ConformanceNetworks.Graph();
        var weights = ConformanceData.RandomWeights(spec, 27);
        var absolute = new NetworkWeights(spec, [.. spec.Parameters.Select(p => weights[p.Index].Select(w => Math.Abs(w) + (float)ConformanceData.Grid).ToArray())]);
        AssertGradientsMatchFiniteDifferences(absolute, ConformanceData.RandomBatch(spec, 2, 28), Objective.SumOfLogits, Float64 with { ParameterTransform = ParameterTransform.Absolute }, 29);
    }

    [Theory]
    [MemberData(nameof(AllNetworksAndObjectives))]
    public void Backward_InputGradient_MatchesCentralFiniteDifferences(string network, Objective objective)
    {
        var spec = ConformanceNetworks.Get(network);
        var batch = ConformanceData.RandomBatch(spec, 3, 31);
        using var net = Backend.Compile(ConformanceData.RandomWeights(spec, 30), Float64);
        var result = net.Backward(batch, objective, inputGradient: true);
        Assert.NotNull(result.InputGradient);
        Assert.Equal(batch.Images.Length, result.InputGradient.Length);
        var rng = Rng(32);
        for (var repeat = 0; repeat < 3; repeat++)
        {
            var u = ConformanceData.RandomDirection(batch.Images.Length, rng);
            var fd = (ObjectiveOf(net, ConformanceData.Perturb(batch, u, ConformanceData.Step), objective)
                - ObjectiveOf(net, ConformanceData.Perturb(batch, u, -ConformanceData.Step), objective)) / (2 * ConformanceData.Step);
            var (analytic, scale) = Directional(result.InputGradient, u);
            Assert.True(Math.Abs(fd - analytic) <= 1e-7 + (1e-6 * scale), $"{network} input gradient along direction {repeat}: finite difference {fd:R}, backend {analytic:R}");
        }
    }

    [Theory]
    [MemberData(nameof(AllNetworks))]
    public void PerSampleGradients_EqualSeparateBatchOfOneBackwardCalls(string network)
    {
        var spec = ConformanceNetworks.Get(network);
        var batch = ConformanceData.RandomBatch(spec, 3, 41);
        using var net = Backend.Compile(ConformanceData.RandomWeights(spec, 40), Float64);
        var seen = new List<int>();
        var delivered = new List<double[][]>();
        net.PerSampleGradients(batch, (sample, gradients) =>
        {
            seen.Add(sample);
            delivered.Add([.. gradients.Select(g => (double[])g.Clone())]);
        });
        Assert.Equal([0, 1, 2], seen);
        for (var i = 0; i < batch.Count; i++)
        {
            var expected = net.Backward(ConformanceData.Single(batch, i), Objective.CrossEntropy).ParameterGradients;
            Assert.Equal(spec.Parameters.Count, delivered[i].Length);
            foreach (var p in spec.Parameters)
            {
                AssertClose(expected[p.Index], delivered[i][p.Index], 1e-12, $"{network} sample {i} {p.Name}");
            }
        }
    }

    [Fact]
    public void PerSampleGradients_BatchNormNetwork_DifferFromBatchGradient()
    {
        // Batch-of-one statistics are the definition; a backend reusing batch statistics would be caught here.
        var spec = ConformanceNetworks.ConvBnReluMaxPool();
        var batch = ConformanceData.RandomBatch(spec, 2, 43);
        using var net = Backend.Compile(ConformanceData.RandomWeights(spec, 42), Float64);
        var sum = new double[spec.Parameters[0].ElementCount];
        net.PerSampleGradients(batch, (_, g) =>
        {
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += g[0][i] / batch.Count;
            }
        });
        var batchGradient = net.Backward(batch, Objective.CrossEntropy).ParameterGradients[0];
        Assert.True(sum.Zip(batchGradient).Max(t => Math.Abs(t.First - t.Second)) > 1e-6);
    }

    [Fact]
    public void PerSampleGradients_CancelledAfterFirstSample_ThrowsOperationCanceledException()
    {
        var spec = ConformanceNetworks.ConvBnReluMaxPool();
        using var net = Backend.Compile(ConformanceData.RandomWeights(spec, 44), Float64);
        using var cts = new CancellationTokenSource();
        var calls = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => net.PerSampleGradients(ConformanceData.RandomBatch(spec, 3, 45), (_, _) =>
        {
            calls++;
            cts.Cancel();
        }, cts.Token));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Backward_ConvReachingOutputOnlyThroughZeroOp_GetsExactlyZeroGradient()
    {
        var spec = ConformanceNetworks.Graph();
        var dead = spec.FindParameter("dead.weight")!;
        var weights = ConformanceData.RandomWeights(spec, 46);
        var batch = ConformanceData.RandomBatch(spec, 3, 47);
        using var net = Backend.Compile(weights, Float64);
        var result = net.Backward(batch, Objective.CrossEntropy);
        Assert.All(result.ParameterGradients[dead.Index], g => Assert.Equal(0.0, g));
        Assert.Contains(result.ParameterGradients[spec.FindParameter("a.weight")!.Index], g => g != 0);

        // ... and its weights do not change the logits.
        var changed = weights.Clone();
        Array.Fill(changed[dead.Index], 0.5f);
        using var other = Backend.Compile(changed, Float64);
        Assert.Equal(Logits(net, batch), Logits(other, batch));
    }

    [Fact]
    public void Backward_ReluInputExactlyZero_HasZeroDerivative()
    {
        // input → ReLU → GAP: ∂Σlogits/∂x = 1/(H·W) where x > 0, else 0 (also at 0 and −0).
        var b = new NetworkBuilder(1, 2, 3);
        b.GlobalAvgPool(b.Relu(NetworkBuilder.Input));
        var spec = b.Build();
        var batch = new Batch([0f, -0f, 1.5f, -2f, 0f, 3f], null, 1, 1, 2, 3);
        using var net = Backend.Compile(new NetworkWeights(spec, []), Float64);
        var gradient = net.Backward(batch, Objective.SumOfLogits, inputGradient: true).InputGradient!;
        Assert.Equal(new double[] { 0, 0, 1.0 / 6, 0, 0, 1.0 / 6 }, gradient);
    }

    [Theory]
    [InlineData(5, 2, 2, 0)]
    [InlineData(5, 3, 2, 1)]
    [InlineData(6, 3, 1, 1)]
    public void Backward_MaxPoolTies_SendGradientToFirstMaximumInWindowOrder(int size, int kernel, int stride, int padding)
    {
        // A constant image: every in-image pixel of a window ties, padding (−∞) never wins, so the whole
        // gradient of each window goes to its top-left in-image pixel.
        var b = new NetworkBuilder(1, size, size);
        var pool = b.MaxPool(NetworkBuilder.Input, kernel, stride, padding);
        b.GlobalAvgPool(pool);
        var spec = b.Build();
        var outSize = spec.Layers[pool].OutputShape[1];
        var batch = new Batch(Enumerable.Repeat(0.75f, size * size).ToArray(), null, 1, 1, size, size);
        using var net = Backend.Compile(new NetworkWeights(spec, []), Float64);
        var result = net.Backward(batch, Objective.SumOfLogits, inputGradient: true);
        Assert.Equal(0.75, result.Value);
        var expected = new double[size * size];
        for (var i = 0; i < outSize; i++)
        {
            for (var j = 0; j < outSize; j++)
            {
                expected[(Math.Max(0, (i * stride) - padding) * size) + Math.Max(0, (j * stride) - padding)] += 1.0 / (outSize * outSize);
            }
        }

        AssertClose(expected, result.InputGradient!, 1e-15, "input gradient");
    }

    [Theory]
    [InlineData(true, 1, 13.0 / 15)]
    [InlineData(false, 1, 1.0)]
    [InlineData(true, 2, 7.0 / 9)]
    [InlineData(false, 2, 1.0)]
    public void Forward_AvgPoolOfOnes_DividesByWindowAsCountIncludePadSays(bool countIncludePad, int stride, double rowMean)
    {
        // 5×5 ones, 3×3 window, padding 1. With padding counted a border window averages to (in-image pixels)/9;
        // the mean over the output is separable: (13/15)² for stride 1 (row counts 2,3,3,3,2 of 3), (7/9)² for stride 2.
        var b = new NetworkBuilder(1, 5, 5);
        b.GlobalAvgPool(b.AvgPool(NetworkBuilder.Input, 3, stride, 1, countIncludePad));
        var spec = b.Build();
        using var net = Backend.Compile(new NetworkWeights(spec, []), Float64);
        var logits = Logits(net, new Batch(Enumerable.Repeat(1f, 25).ToArray(), null, 1, 1, 5, 5));
        Assert.Equal(rowMean * rowMean, logits[0], 1e-15);
    }

    private void AssertGradientsMatchFiniteDifferences(NetworkWeights weights, Batch batch, Objective objective, ExecutionOptions options, ulong seed)
    {
        var spec = weights.Spec;
        double[][] gradients;
        using (var net = Backend.Compile(weights, options))
        {
            gradients = net.Backward(batch, objective).ParameterGradients;
        }

        var rng = Rng(seed);
        foreach (var p in spec.Parameters)
        {
            for (var repeat = 0; repeat < 2; repeat++)
            {
                var direction = new double[]?[spec.Parameters.Count];
                var u = direction[p.Index] = ConformanceData.RandomDirection(p.ElementCount, rng);
                using var plus = Backend.Compile(ConformanceData.Perturb(weights, direction, ConformanceData.Step), options);
                using var minus = Backend.Compile(ConformanceData.Perturb(weights, direction, -ConformanceData.Step), options);
                var fd = (ObjectiveOf(plus, batch, objective) - ObjectiveOf(minus, batch, objective)) / (2 * ConformanceData.Step);
                var (analytic, scale) = Directional(gradients[p.Index], u);
                Assert.True(Math.Abs(fd - analytic) <= 1e-7 + (1e-6 * scale), $"{p.Name} ({objective}, {options.BatchNormMode}): finite difference {fd:R}, backend {analytic:R}");
            }
        }
    }

    private static (double Value, double Scale) Directional(double[] gradient, double[] direction)
    {
        var (value, scale) = (0.0, 0.0);
        for (var i = 0; i < gradient.Length; i++)
        {
            value += gradient[i] * direction[i];
            scale += Math.Abs(gradient[i] * direction[i]);
        }

        return (value, scale);
    }
}
