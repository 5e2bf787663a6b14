using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Data;
using GradSign.Networks;

namespace GradSign.Tests.Backends;

public abstract partial class BackendConformanceTests
{
    [Theory]
    [MemberData(nameof(AllNetworks))]
    public void LayerOutputs_EveryLayer_FollowsItsLayerDefinitionFromItsInputs(string network)
    {
        // Each layer's delivered output is recomputed from its delivered inputs by the layer's definition (direct
        // loops here), so every layer type is checked on its own; the input layer is the batch, the last the logits.
        var spec = ConformanceNetworks.Get(network);
        var weights = ConformanceData.RandomWeights(spec, 81);
        var batch = ConformanceData.RandomBatch(spec, 3, 82, labelled: false);
        using var net = Backend.Compile(weights, Float64);
        var outputs = AllLayerOutputs(net, batch);

        Assert.Equal(batch.Images.Select(v => (double)v), outputs[0]);
        AssertClose(Logits(net, batch), outputs[^1], 1e-12, "logits");
        for (var l = 1; l < spec.Layers.Count; l++)
        {
            AssertClose(LayerDefinition(spec, weights, l, outputs, batch.Count), outputs[l], 1e-10, $"{spec.Layers[l].GetType().Name} '{spec.Layers[l].Name}'");
        }
    }

    [Fact]
    public void LayerOutputs_RemovedBatchNorms_OutputTheirInputs()
    {
        var spec = ConformanceNetworks.RemovableBn(includeRemovable: true, includeFixed: true);
        var batch = ConformanceData.RandomBatch(spec, 3, 83, labelled: false);
        using var net = Backend.Compile(ConformanceData.RandomWeights(spec, 84), Float64 with { BatchNormMode = BatchNormMode.RemoveAll });
        var outputs = AllLayerOutputs(net, batch);
        foreach (var (bn, l) in spec.Layers.Select((layer, l) => (layer, l)).Where(t => t.layer is BatchNormLayer))
        {
            Assert.Equal(outputs[bn.Inputs[0]], outputs[l]);
        }
    }

    [Theory]
    [MemberData(nameof(AllNetworks))]
    public void LayerOutputs_Float32_AgreesWithFloat64(string network)
    {
        var spec = ConformanceNetworks.Get(network);
        var weights = ConformanceData.RandomWeights(spec, 85);
        var batch = ConformanceData.RandomBatch(spec, 3, 86, labelled: false);
        using var net32 = Backend.Compile(weights, ExecutionOptions.Default);
        using var net64 = Backend.Compile(weights, Float64);
        var a = AllLayerOutputs(net32, batch);
        var b = AllLayerOutputs(net64, batch);
        for (var l = 0; l < a.Length; l++)
        {
            AssertClose(b[l], a[l], 1e-4, $"layer {l}");
        }
    }

    [Fact]
    public void LayerOutputs_Subset_DeliversOnlyThoseInIncreasingOrder()
    {
        var spec = ConformanceNetworks.Graph();
        var batch = ConformanceData.RandomBatch(spec, 2, 87, labelled: false);
        using var net = Backend.Compile(ConformanceData.RandomWeights(spec, 88), Float64);
        var all = AllLayerOutputs(net, batch);
        int[] wanted = [spec.Layers.Count - 2, 3, 1];
        var seen = new List<int>();
        net.LayerOutputs(batch, wanted, (layer, values) =>
        {
            seen.Add(layer);
            Assert.Equal(all[layer], values.ToArray());
        });
        Assert.Equal(wanted.Order(), seen);

        net.LayerOutputs(batch, [], (_, _) => Assert.Fail("no layer was requested"));
    }

    [Fact]
    public void LayerOutputs_BadLayerLists_ThrowArgumentExceptions()
    {
        var spec = ConformanceNetworks.ConvBnReluMaxPool();
        var batch = ConformanceData.RandomBatch(spec, 2, 89, labelled: false);
        using var net = Backend.Compile(ConformanceData.RandomWeights(spec, 90), Float64);
        Assert.Throws<ArgumentOutOfRangeException>(() => net.LayerOutputs(batch, [spec.Layers.Count], (_, _) => { }));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.LayerOutputs(batch, [-1], (_, _) => { }));
        Assert.ThrowsAny<ArgumentException>(() => net.LayerOutputs(batch, [2, 2], (_, _) => { }));
        Assert.Throws<ArgumentNullException>(() => net.LayerOutputs(batch, null!, (_, _) => { }));
        Assert.Throws<ArgumentNullException>(() => net.LayerOutputs(batch, [1], null!));
        var (c, h, w) = (spec.InputShape[0], spec.InputShape[1], spec.InputShape[2]);
        Assert.ThrowsAny<ArgumentException>(() => net.LayerOutputs(new Batch(new float[c * (h + 1) * w], null, 1, c, h + 1, w), [1], (_, _) => { }));
    }

    /// <summary>Every layer's output, through one <see cref="INetworkExecutor.LayerOutputs"/> call.</summary>
    private static double[][] AllLayerOutputs(INetworkExecutor net, Batch batch)
    {
        var outputs = new double[net.Spec.Layers.Count][];
        net.LayerOutputs(batch, [.. Enumerable.Range(0, outputs.Length)], (layer, values) =>
        {
            Assert.Null(outputs[layer]);
            Assert.Equal(batch.Count * net.Spec.Layers[layer].OutputShape.Aggregate(1, (a, d) => a * d), values.Length);
            outputs[layer] = values.ToArray();
        });
        Assert.All(outputs, Assert.NotNull);
        return outputs;
    }

    /// <summary>Layer <paramref name="l"/>'s output computed from its inputs' outputs by its definition (training-mode BatchNorm).</summary>
    private static double[] LayerDefinition(NetworkSpec spec, NetworkWeights weights, int l, double[][] outputs, int n)
    {
        var layer = spec.Layers[l];
        var x = outputs[layer.Inputs[0]];
        var inShape = spec.Layers[layer.Inputs[0]].OutputShape;
        double Param(int? p, int i, double absent) => p is { } index ? weights[index][i] : absent;
        switch (layer)
        {
            case ReluLayer:
                return [.. x.Select(v => Math.Max(0, v))];
            case ZeroLayer:
                return new double[x.Length];
            case AddLayer:
                return [.. Enumerable.Range(0, x.Length).Select(i => layer.Inputs.Aggregate(0.0, (s, input) => s + outputs[input][i]))];
            case GlobalAvgPoolLayer:
                {
                    var spatial = inShape[1] * inShape[2];
                    return [.. Enumerable.Range(0, x.Length / spatial).Select(i => x.AsSpan(i * spatial, spatial).ToArray().Average())];
                }

            case LinearLayer lin:
                return [.. Enumerable.Range(0, n * lin.OutFeatures).Select(i =>
                {
                    var (s, o) = (i / lin.OutFeatures, i % lin.OutFeatures);
                    var sum = Param(lin.Bias, o, 0);
                    for (var f = 0; f < lin.InFeatures; f++)
                    {
                        sum += weights[lin.Weight][(o * lin.InFeatures) + f] * x[(s * lin.InFeatures) + f];
                    }

                    return sum;
                })];
            case BatchNormLayer bn:
                {
                    var spatial = inShape[1] * inShape[2];
                    var y = new double[x.Length];
                    for (var c = 0; c < bn.Channels; c++)
                    {
                        var values = Enumerable.Range(0, n).SelectMany(s => x.AsSpan(((s * bn.Channels) + c) * spatial, spatial).ToArray()).ToArray();
                        var mean = values.Average();
                        var variance = values.Average(v => (v - mean) * (v - mean));
                        for (var s = 0; s < n; s++)
                        {
                            for (var q = 0; q < spatial; q++)
                            {
                                var i = (((s * bn.Channels) + c) * spatial) + q;
                                y[i] = ((x[i] - mean) / Math.Sqrt(variance + bn.Epsilon) * Param(bn.Weight, c, 1)) + Param(bn.Bias, c, 0);
                            }
                        }
                    }

                    return y;
                }

            case ConcatLayer:
                return [.. Enumerable.Range(0, n).SelectMany(s => layer.Inputs.SelectMany(input =>
                {
                    var size = spec.Layers[input].OutputShape.Aggregate(1, (a, d) => a * d);
                    return outputs[input].AsSpan(s * size, size).ToArray();
                }))];
            case TruncateLayer t:
                {
                    var inSize = inShape[0] * inShape[1] * inShape[2];
                    var outSize = t.Channels * inShape[1] * inShape[2];
                    return [.. Enumerable.Range(0, n).SelectMany(s => x.AsSpan(s * inSize, outSize).ToArray())];
                }

            case Conv2dLayer conv:
                return Windowed(layer.OutputShape, inShape, n, conv.Kernel, conv.Stride, conv.Padding, (s, o, window) =>
                {
                    var sum = Param(conv.Bias, o, 0);
                    foreach (var (i, kh, kw, value) in window)
                    {
                        sum += weights[conv.Weight][(((((o * conv.InChannels) + i) * conv.Kernel) + kh) * conv.Kernel) + kw] * value(x);
                    }

                    return sum;
                }, allChannels: true);
            case PoolLayer pool:
                return Windowed(layer.OutputShape, inShape, n, pool.Kernel, pool.Stride, pool.Padding, (s, c, window) =>
                {
                    var inside = window.Select(e => e.Value(x)).ToArray();
                    if (pool.Kind == PoolKind.Max)
                    {
                        return inside.Max(); // padding is −∞: only in-image pixels count
                    }

                    return inside.Sum() / (pool.CountIncludePad ? pool.Kernel * pool.Kernel : inside.Length);
                }, allChannels: false);
            default:
                throw new InvalidOperationException($"No definition for {layer.GetType().Name}.");
        }
    }

    /// <summary>
    /// Evaluates <paramref name="reduce"/>(sample, output channel, in-image window entries) at every output position.
    /// A window entry is (input channel, kh, kw, value reader); all input channels for a conv, the output's own for a pool.
    /// </summary>
    private static double[] Windowed(
        IReadOnlyList<int> outShape, IReadOnlyList<int> inShape, int n, int kernel, int stride, int padding,
        Func<int, int, List<(int Channel, int Kh, int Kw, Func<double[], double> Value)>, double> reduce, bool allChannels)
    {
        var (co, ho, wo) = (outShape[0], outShape[1], outShape[2]);
        var (ci, hi, wi) = (inShape[0], inShape[1], inShape[2]);
        var y = new double[n * co * ho * wo];
        for (var s = 0; s < n; s++)
        {
            for (var o = 0; o < co; o++)
            {
                for (var r = 0; r < ho; r++)
                {
                    for (var q = 0; q < wo; q++)
                    {
                        var window = new List<(int, int, int, Func<double[], double>)>();
                        foreach (var i in allChannels ? Enumerable.Range(0, ci) : [o])
                        {
                            for (var kh = 0; kh < kernel; kh++)
                            {
                                for (var kw = 0; kw < kernel; kw++)
                                {
                                    var (row, col) = ((r * stride) - padding + kh, (q * stride) - padding + kw);
                                    if (row >= 0 && row < hi && col >= 0 && col < wi)
                                    {
                                        var index = (((((s * ci) + i) * hi) + row) * wi) + col;
                                        window.Add((i, kh, kw, a => a[index]));
                                    }
                                }
                            }
                        }

                        y[(((((s * co) + o) * ho) + r) * wo) + q] = reduce(s, o, window);
                    }
                }
            }
        }

        return y;
    }
}
