using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Data;
using GradSign.Networks;

namespace GradSign.Tests.Backends.Managed;

/// <summary>Forward values, options (BatchNorm modes, |θ|), ReLU codes, saliencies and validation.</summary>
public sealed class ManagedForwardTests
{
    public static TheoryData<string> Nets() => [.. TestNets.All().Select(n => n.Name)];

    [Fact]
    public void Backend_NameAndCapabilities_AreManagedAndAll()
    {
        Assert.Equal("managed", TestNets.Managed.Name);
        Assert.Equal(BackendCapabilities.All, TestNets.Managed.Capabilities);
    }

    [Theory]
    [MemberData(nameof(Nets))]
    public void Forward_Logits_MatchNaiveReference(string net)
    {
        var spec = TestNets.ByName(net);
        var weights = TestNets.Weights(spec, 61);
        var batch = TestNets.RandomBatch(spec, 3, 62);
        var expected = ReferenceForward.Run(spec, weights, batch)[^1];
        foreach (var precision in new[] { Precision.Float64, Precision.Float32 })
        {
            using var e = TestNets.Managed.Compile(weights, new ExecutionOptions { Precision = precision });
            var logits = new double[batch.Count * spec.NumClasses];
            e.Forward(batch, logits);
            var tolerance = precision == Precision.Float64 ? 1e-12 : 1e-5;
            for (var i = 0; i < logits.Length; i++)
            {
                Assert.Equal(expected[i], logits[i], tolerance);
            }
        }
    }

    [Theory]
    [InlineData(BatchNormMode.KeepAll, false)]
    [InlineData(BatchNormMode.RemoveRemovable, false)]
    [InlineData(BatchNormMode.RemoveAll, false)]
    [InlineData(BatchNormMode.RemoveRemovable, true)]
    public void Forward_BatchNormModeAndAbsolute_MatchReference(BatchNormMode mode, bool absolute)
    {
        var spec = TestNets.MiniResNet();
        var weights = TestNets.Weights(spec, 71);
        var batch = TestNets.RandomBatch(spec, 3, 72);
        var expected = ReferenceForward.Run(spec, weights, batch, mode, absolute)[^1];
        var options = TestNets.F64 with { BatchNormMode = mode, ParameterTransform = absolute ? ParameterTransform.Absolute : ParameterTransform.None };
        using var e = TestNets.Managed.Compile(weights, options);
        var logits = new double[batch.Count * spec.NumClasses];
        e.Forward(batch, logits);
        for (var i = 0; i < logits.Length; i++)
        {
            Assert.Equal(expected[i], logits[i], 1e-12);
        }
    }

    [Fact]
    public void Backward_RemovedBatchNorms_HaveZeroGradientsAndOthersMatchFiniteDifferences()
    {
        var spec = TestNets.MiniResNet();
        var weights = TestNets.Weights(spec, 73);
        var batch = TestNets.RandomBatch(spec, 3, 74);
        var options = TestNets.F64 with { BatchNormMode = BatchNormMode.RemoveRemovable, ParameterTransform = ParameterTransform.Absolute };
        using var e = TestNets.Managed.Compile(weights, options);
        var g = e.Backward(batch, Objective.SumOfLogits);
        Assert.All(g.ParameterGradients[spec.FindParameter("stem.bn.weight")!.Index], v => Assert.Equal(0.0, v));
        Assert.Contains(g.ParameterGradients[spec.FindParameter("a.bn.weight")!.Index], v => v != 0);

        // The gradient is with respect to the compiled parameters |θ|: perturb a positive weight.
        var p = spec.FindParameter("b.weight")!;
        var j = Enumerable.Range(0, p.ElementCount).First(i => weights[p.Index][i] > 0.01f);
        double F(float v)
        {
            var w = weights.Clone();
            w[p.Index][j] = v;
            return TestNets.Objective(w, batch, Objective.SumOfLogits, options);
        }

        var theta = weights[p.Index][j];
        var fd = (F((float)(theta + TestNets.Epsilon)) - F((float)(theta - TestNets.Epsilon))) / (2 * TestNets.Epsilon);
        Assert.Equal(fd, g.ParameterGradients[p.Index][j], 1e-6 * Math.Max(1, Math.Abs(fd)));
    }

    [Theory]
    [MemberData(nameof(Nets))]
    public void ReluCodes_MatchDirectEvaluationOfReluInputs(string net)
    {
        var spec = TestNets.ByName(net);
        var weights = TestNets.Weights(spec, 81);
        var batch = TestNets.RandomBatch(spec, 3, 82);
        var outs = ReferenceForward.Run(spec, weights, batch);
        using var e = TestNets.Managed.Compile(weights, ExecutionOptions.Default);
        var layers = new List<int>();
        e.ReluCodes(batch, (in ReluCodeBlock block) =>
        {
            layers.Add(block.Layer);
            var relu = (ReluLayer)spec.Layers[block.Layer];
            var input = outs[relu.Inputs[0]];
            var units = input.Length / batch.Count;
            Assert.Equal(units, block.Units);
            Assert.Equal((units + 63) / 64, block.WordsPerSample);
            Assert.Equal(batch.Count * block.WordsPerSample, block.Bits.Length);
            for (var n = 0; n < batch.Count; n++)
            {
                for (var u = 0; u < block.WordsPerSample * 64; u++)
                {
                    var bit = (block.Bits[(n * block.WordsPerSample) + (u / 64)] >> (u % 64)) & 1;
                    Assert.Equal(u < units && input[(n * units) + u] > 0 ? 1UL : 0UL, bit);
                }
            }
        });
        Assert.Equal(Enumerable.Range(0, spec.Layers.Count).Where(i => spec.Layers[i] is ReluLayer), layers);
    }

    [Fact]
    public void OutputSaliencies_EqualActivationTimesGradientFromFiniteDifferences()
    {
        // a = W∗x + b is linear in (W[k], b[k]) with a[·,k] = (W[k], b[k])·(x-patches, 1), so by the chain rule
        // Σ_n Σ_hw a[n,k]·∂L/∂a[n,k] = Σ_j W[k,j]·∂L/∂W[k,j] + b[k]·∂L/∂b[k]: an independent check via the gradients.
        var spec = TestNets.MiniResNet();
        var weights = TestNets.Weights(spec, 91);
        var batch = TestNets.RandomBatch(spec, 4, 92);
        using var e = TestNets.Managed.Compile(weights, TestNets.F64);
        var saliencies = e.OutputSaliencies(batch, Objective.CrossEntropy);
        var g = e.Backward(batch, Objective.CrossEntropy);
        var expectedLayers = Enumerable.Range(0, spec.Layers.Count).Where(i => spec.Layers[i] is Conv2dLayer or LinearLayer).ToArray();
        Assert.Equal(expectedLayers, saliencies.Select(s => s.Layer));
        foreach (var s in saliencies)
        {
            var layer = spec.Layers[s.Layer];
            int? bias = layer switch { Conv2dLayer c => c.Bias, LinearLayer l => l.Bias, _ => null };
            var p = spec.Parameters[s.Weight];
            Assert.Equal(p.Shape[0], s.Channels);
            Assert.Equal(batch.Count * s.Channels, s.Values.Length);
            for (var k = 0; k < s.Channels; k++)
            {
                var expected = 0.0;
                for (var j = 0; j < p.FanIn; j++)
                {
                    expected += weights[s.Weight][(k * p.FanIn) + j] * g.ParameterGradients[s.Weight][(k * p.FanIn) + j];
                }

                if (bias is { } b)
                {
                    expected += weights[b][k] * g.ParameterGradients[b][k];
                }

                var actual = Enumerable.Range(0, batch.Count).Sum(n => s.Values[(n * s.Channels) + k]);
                Assert.Equal(expected, actual, 1e-12 * Math.Max(1, Math.Abs(expected)) + 1e-15);
            }
        }
    }

    [Fact]
    public void Forward_BatchShapeMismatch_ThrowsNamingBoth()
    {
        var spec = TestNets.ConvBnRelu();
        using var e = TestNets.Managed.Compile(TestNets.Weights(spec, 1), ExecutionOptions.Default);
        var bad = new Batch(new float[2 * 3 * 8 * 9], null, 2, 3, 8, 9);
        var ex = Assert.Throws<ArgumentException>(() => e.Forward(bad, new double[2 * spec.NumClasses]));
        Assert.Contains("3x8x9", ex.Message, StringComparison.Ordinal);
        Assert.Contains("3x7x9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backward_CrossEntropyWithoutLabels_Throws()
    {
        var spec = TestNets.ConvBnRelu();
        using var e = TestNets.Managed.Compile(TestNets.Weights(spec, 1), ExecutionOptions.Default);
        var batch = TestNets.RandomBatch(spec, 2, 1, labels: false);
        Assert.Throws<ArgumentException>(() => e.Backward(batch, Objective.CrossEntropy));
        Assert.Throws<ArgumentException>(() => e.PerSampleGradients(batch, (_, _) => { }));
        _ = e.Backward(batch, Objective.SumOfLogits);
    }

    [Fact]
    public void Backward_LabelOutOfRange_ThrowsNamingIt()
    {
        var spec = TestNets.ConvBnRelu();
        using var e = TestNets.Managed.Compile(TestNets.Weights(spec, 1), ExecutionOptions.Default);
        var b = TestNets.RandomBatch(spec, 2, 1);
        var bad = new Batch(b.Images, [0, spec.NumClasses], 2, b.Channels, b.Height, b.Width);
        var ex = Assert.Throws<ArgumentException>(() => e.Backward(bad, Objective.CrossEntropy));
        Assert.Contains("labels[1] = 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Executor_ChangingBatchSize_ReplansAndStaysCorrect()
    {
        var spec = TestNets.MiniResNet();
        var weights = TestNets.Weights(spec, 5);
        using var e = TestNets.Managed.Compile(weights, TestNets.F64);
        foreach (var count in new[] { 2, 5, 2 })
        {
            var batch = TestNets.RandomBatch(spec, count, (ulong)count);
            var logits = new double[count * spec.NumClasses];
            e.Forward(batch, logits);
            var expected = ReferenceForward.Run(spec, weights, batch)[^1];
            for (var i = 0; i < logits.Length; i++)
            {
                Assert.Equal(expected[i], logits[i], 1e-12);
            }
        }
    }

    [Fact]
    public void Executor_ResultsIndependentOfThreadCount()
    {
        var b = new NetworkBuilder(3, 16, 16);
        var x = b.Relu(b.BatchNorm(b.Conv2d(NetworkBuilder.Input, 16, 3, padding: 1, weightName: "c.weight"), "bn"));
        x = b.AvgPool(b.MaxPool(x, 3, 1, 1), 3, 1, 1, countIncludePad: false);
        b.Linear(b.GlobalAvgPool(x), 10, "fc");
        var spec = b.Build();
        var weights = TestNets.Weights(spec, 3);
        var batch = TestNets.RandomBatch(spec, 16, 4);
        using var one = TestNets.Managed.Compile(weights, ExecutionOptions.Default with { MaxDegreeOfParallelism = 1 });
        using var many = TestNets.Managed.Compile(weights, ExecutionOptions.Default with { MaxDegreeOfParallelism = 4 });
        var g1 = one.Backward(batch, Objective.CrossEntropy, inputGradient: true);
        var g4 = many.Backward(batch, Objective.CrossEntropy, inputGradient: true);
        Assert.Equal(g1.Value, g4.Value);
        Assert.Equal(g1.InputGradient, g4.InputGradient);
        for (var p = 0; p < g1.ParameterGradients.Length; p++)
        {
            Assert.Equal(g1.ParameterGradients[p], g4.ParameterGradients[p]);
        }
    }

    /// <summary>Below 8 samples the layers' parameter gradients run concurrently, one thread each; the result must not
    /// depend on how they are spread.</summary>
    [Theory]
    [InlineData(1, Precision.Float64)]
    [InlineData(3, Precision.Float32)]
    [InlineData(9, Precision.Float32)]
    public void Backward_EveryNet_ResultsIndependentOfThreadCount(int samples, Precision precision)
    {
        foreach (var (name, spec) in TestNets.All())
        {
            var weights = TestNets.Weights(spec, 5);
            var batch = TestNets.RandomBatch(spec, samples, 6);
            using var one = TestNets.Managed.Compile(weights, new ExecutionOptions { Precision = precision, MaxDegreeOfParallelism = 1 });
            using var three = TestNets.Managed.Compile(weights, new ExecutionOptions { Precision = precision, MaxDegreeOfParallelism = 3 });
            var g1 = one.Backward(batch, Objective.SumOfLogits);
            var g3 = three.Backward(batch, Objective.SumOfLogits);
            for (var p = 0; p < g1.ParameterGradients.Length; p++)
            {
                Assert.True(g1.ParameterGradients[p].AsSpan().SequenceEqual(g3.ParameterGradients[p]), $"{name}: parameter {p}");
            }
        }
    }

    [Fact]
    public void Executor_AfterDispose_Throws()
    {
        var spec = TestNets.ConvBnRelu();
        var e = TestNets.Managed.Compile(TestNets.Weights(spec, 1), ExecutionOptions.Default);
        e.Dispose();
        Assert.Throws<ObjectDisposedException>(() => e.Forward(TestNets.RandomBatch(spec, 1, 1), new double[3]));
    }
}
