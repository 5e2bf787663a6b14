using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Tests.Backends;

public abstract partial class BackendConformanceTests
{
    [Fact]
    public void ReluCodes_EveryReluLayer_EqualsThresholdedForwardActivation()
    {
        // The ReLU inputs are read back exactly through "probe" networks: the same prefix (same weights) followed by
        // a one-hot conv whose kernel covers the whole map, so that logit u is activation unit u.
        var spec = CodesNetwork(probe: 0);
        var weights = ConformanceData.RandomWeights(spec, 71);
        var batch = ConformanceData.RandomBatch(spec, 3, 72, labelled: false);
        var images = (float[])batch.Images.Clone();
        images[0] = 0f;
        images[1] = -0f;
        batch = new Batch(images, null, batch.Count, batch.Channels, batch.Height, batch.Width);

        var expected = new Dictionary<int, double[]>
        {
            [1] = [.. batch.Images.Select(x => (double)x)],
            [spec.Layers.Count - 5] = ProbeActivations(weights, batch, probe: 1),
            [spec.Layers.Count - 3] = ProbeActivations(weights, batch, probe: 2),
        };
        Assert.All(expected.Keys, l => Assert.IsType<ReluLayer>(spec.Layers[l]));

        using var net = Backend.Compile(weights, Float64);
        var seen = new List<int>();
        net.ReluCodes(batch, (in ReluCodeBlock block) =>
        {
            seen.Add(block.Layer);
            var activation = expected[block.Layer];
            var units = activation.Length / batch.Count;
            Assert.Equal(units, block.Units);
            Assert.Equal((units + 63) / 64, block.WordsPerSample);
            Assert.Equal(batch.Count * block.WordsPerSample, block.Bits.Length);
            for (var n = 0; n < batch.Count; n++)
            {
                for (var bit = 0; bit < block.WordsPerSample * 64; bit++)
                {
                    var set = ((block.Bits[(n * block.WordsPerSample) + (bit / 64)] >> (bit % 64)) & 1) != 0;
                    Assert.True(set == (bit < units && activation[(n * units) + bit] > 0), $"layer {block.Layer} sample {n} unit {bit}: code {set}");
                }
            }
        });
        Assert.Equal([.. expected.Keys.Order()], seen);
    }

    [Theory]
    [MemberData(nameof(AllNetworksAndObjectives))]
    public void OutputSaliencies_SumOverSamples_EqualsWeightTimesGradient(string network, Objective objective)
    {
        // Scaling output channel k of a conv/linear layer by (1 + t) is scaling its weight row and bias by (1 + t),
        // so Σ_n s[n,k] = d/dt L = Σ_j θ_kj ∂L/∂θ_kj over that row and bias.
        var spec = ConformanceNetworks.Get(network);
        var weights = ConformanceData.RandomWeights(spec, 73);
        var batch = ConformanceData.RandomBatch(spec, 3, 74);
        using var net = Backend.Compile(weights, Float64);
        var saliencies = net.OutputSaliencies(batch, objective);
        var gradients = net.Backward(batch, objective).ParameterGradients;

        var layers = Enumerable.Range(0, spec.Layers.Count).Where(l => spec.Layers[l] is Conv2dLayer or LinearLayer).ToArray();
        Assert.Equal(layers, saliencies.Select(s => s.Layer));
        foreach (var s in saliencies)
        {
            var (weight, bias, channels) = spec.Layers[s.Layer] switch
            {
                Conv2dLayer c => (c.Weight, c.Bias, c.OutChannels),
                LinearLayer f => (f.Weight, f.Bias, f.OutFeatures),
                _ => throw new InvalidOperationException(),
            };
            Assert.Equal(weight, s.Weight);
            Assert.Equal(channels, s.Channels);
            Assert.Equal(batch.Count * channels, s.Values.Length);
            var fanIn = spec.Parameters[weight].FanIn;
            var expected = new double[channels];
            var actual = new double[channels];
            for (var k = 0; k < channels; k++)
            {
                for (var j = 0; j < fanIn; j++)
                {
                    expected[k] += weights[weight][(k * fanIn) + j] * gradients[weight][(k * fanIn) + j];
                }

                expected[k] += bias is int bi ? weights[bi][k] * gradients[bi][k] : 0;
                for (var n = 0; n < batch.Count; n++)
                {
                    actual[k] += s.Values[(n * channels) + k];
                }
            }

            AssertClose(expected, actual, 1e-10, $"{network} {objective} layer {s.Layer}");
        }
    }

    [Theory]
    [InlineData(Objective.CrossEntropy)]
    [InlineData(Objective.SumOfLogits)]
    public void OutputSaliencies_NetworkWithoutBatchNorm_EachSampleMatchesItsOwnGradient(Objective objective)
    {
        // Without BatchNorm the samples do not interact, so s[n,k] is sample n's own θ·∂L_n/∂θ over channel k,
        // where L_n is 1/N of its cross-entropy (the batch mean) or its own logit sum.
        var b = new NetworkBuilder(3, 7, 7);
        var x = b.MaxPool(b.Relu(b.Conv2d(NetworkBuilder.Input, 5, kernel: 3, padding: 1, weightName: "c1.weight")), 2, 2);
        x = b.Relu(b.Conv2d(x, 4, kernel: 3, stride: 2, padding: 1, bias: true, weightName: "c2.weight"));
        b.Linear(b.GlobalAvgPool(x), 3, "fc");
        var spec = b.Build();
        var weights = ConformanceData.RandomWeights(spec, 75);
        var batch = ConformanceData.RandomBatch(spec, 3, 76);
        using var net = Backend.Compile(weights, Float64);
        var saliencies = net.OutputSaliencies(batch, objective);
        var share = objective == Objective.CrossEntropy ? 1.0 / batch.Count : 1.0;
        for (var n = 0; n < batch.Count; n++)
        {
            var gradients = net.Backward(ConformanceData.Single(batch, n), objective).ParameterGradients;
            foreach (var s in saliencies)
            {
                var bias = spec.Layers[s.Layer] switch { Conv2dLayer c => c.Bias, LinearLayer f => f.Bias, _ => null };
                var fanIn = spec.Parameters[s.Weight].FanIn;
                var expected = new double[s.Channels];
                for (var k = 0; k < s.Channels; k++)
                {
                    for (var j = 0; j < fanIn; j++)
                    {
                        expected[k] += weights[s.Weight][(k * fanIn) + j] * gradients[s.Weight][(k * fanIn) + j];
                    }

                    expected[k] = share * (expected[k] + (bias is int bi ? weights[bi][k] * gradients[bi][k] : 0));
                }

                AssertClose(expected, s.Values[(n * s.Channels)..((n + 1) * s.Channels)], 1e-10, $"{objective} sample {n} layer {s.Layer}");
            }
        }
    }

    /// <summary>input → ReLU → conv → BN → ReLU → conv stride 2 → ReLU → GAP → linear; or a probe cut at BN (1) or the second conv (2).</summary>
    private static NetworkSpec CodesNetwork(int probe)
    {
        var b = new NetworkBuilder(3, 5, 5);
        var r0 = b.Relu(NetworkBuilder.Input);
        var bn = b.BatchNorm(b.Conv2d(r0, 5, kernel: 3, padding: 1, bias: true, weightName: "c1.weight"), "bn");
        if (probe == 1)
        {
            return Probe(b, bn);
        }

        var c2 = b.Conv2d(b.Relu(bn), 4, kernel: 3, stride: 2, padding: 1, weightName: "c2.weight");
        if (probe == 2)
        {
            return Probe(b, c2);
        }

        b.Linear(b.GlobalAvgPool(b.Relu(c2)), 3, "fc");
        return b.Build();
    }

    private static NetworkSpec Probe(NetworkBuilder b, int layer)
    {
        var shape = b.ShapeOf(layer);
        b.GlobalAvgPool(b.Conv2d(layer, shape[0] * shape[1] * shape[2], kernel: shape[1], weightName: "probe.weight"));
        return b.Build();
    }

    private double[] ProbeActivations(NetworkWeights weights, Batch batch, int probe)
    {
        var spec = CodesNetwork(probe);
        var values = spec.Parameters.Select(p =>
        {
            if (p.Name != "probe.weight")
            {
                return weights[p.Name];
            }

            // One-hot: output channel u reads unit u = (c, h, w) of the map.
            var oneHot = new float[p.ElementCount];
            var units = p.Shape[0];
            for (var u = 0; u < units; u++)
            {
                oneHot[(u * units) + u] = 1;
            }

            return oneHot;
        }).ToArray();
        using var net = Backend.Compile(new NetworkWeights(spec, values), Float64);
        return Logits(net, batch);
    }
}
