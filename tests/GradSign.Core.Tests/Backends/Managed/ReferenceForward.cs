using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Tests.Backends.Managed;

/// <summary>
/// A deliberately naive float64 evaluation of a <see cref="NetworkSpec"/> (loops straight from the PyTorch
/// definitions, no shared code with the backend), recording every layer's output.
/// </summary>
internal static class ReferenceForward
{
    public static double[][] Run(NetworkSpec spec, NetworkWeights weights, Batch batch, BatchNormMode mode = BatchNormMode.KeepAll, bool absolute = false)
    {
        double[] P(int i) => [.. weights[i].Select(v => absolute ? Math.Abs((double)v) : v)];
        var n = batch.Count;
        var outs = new double[spec.Layers.Count][];
        outs[0] = [.. batch.Images.Select(v => (double)v)];
        for (var l = 1; l < spec.Layers.Count; l++)
        {
            var layer = spec.Layers[l];
            var x = outs[layer.Inputs[0]];
            var inShape = spec.Layers[layer.Inputs[0]].OutputShape;
            outs[l] = layer switch
            {
                Conv2dLayer c => Conv(x, n, inShape, c, P(c.Weight), c.Bias is { } b ? P(b) : null),
                BatchNormLayer bn when mode == BatchNormMode.RemoveAll || (mode == BatchNormMode.RemoveRemovable && bn.Removable) => x,
                BatchNormLayer bn => BatchNorm(x, n, inShape, bn.Epsilon, bn.Weight is { } g ? P(g) : null, bn.Bias is { } b ? P(b) : null),
                ReluLayer => [.. x.Select(v => v > 0 ? v : 0)],
                PoolLayer p => Pool(x, n, inShape, p),
                GlobalAvgPoolLayer => Gap(x, n, inShape),
                LinearLayer f => Linear(x, n, f, P(f.Weight), f.Bias is { } b ? P(b) : null),
                AddLayer => Enumerable.Range(0, x.Length).Select(i => layer.Inputs.Aggregate(0.0, (s, k) => s + outs[k][i])).ToArray(),
                ZeroLayer => new double[x.Length],
                ConcatLayer => [.. Enumerable.Range(0, n).SelectMany(b0 => layer.Inputs.SelectMany(k => outs[k].Skip(b0 * (outs[k].Length / n)).Take(outs[k].Length / n)))],
                TruncateLayer t => [.. Enumerable.Range(0, n).SelectMany(b0 => x.Skip(b0 * (x.Length / n)).Take(t.OutputShape.Aggregate(1, (a, d) => a * d)))],
                _ => throw new NotSupportedException(layer.GetType().Name),
            };
        }

        return outs;
    }

    private static double[] Conv(double[] x, int n, IReadOnlyList<int> s, Conv2dLayer c, double[] w, double[]? b)
    {
        int ci = s[0], h = s[1], wd = s[2], co = c.OutChannels, k = c.Kernel, oh = c.OutputShape[1], ow = c.OutputShape[2];
        var y = new double[n * co * oh * ow];
        for (var b0 = 0; b0 < n; b0++)
        {
            for (var o = 0; o < co; o++)
            {
                for (var i = 0; i < oh; i++)
                {
                    for (var j = 0; j < ow; j++)
                    {
                        var sum = b?[o] ?? 0;
                        for (var ch = 0; ch < ci; ch++)
                        {
                            for (var u = 0; u < k; u++)
                            {
                                for (var v = 0; v < k; v++)
                                {
                                    int iy = (i * c.Stride) + u - c.Padding, ix = (j * c.Stride) + v - c.Padding;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd)
                                    {
                                        sum += w[(((o * ci) + ch) * k * k) + (u * k) + v] * x[(((b0 * ci) + ch) * h * wd) + (iy * wd) + ix];
                                    }
                                }
                            }
                        }

                        y[(((b0 * co) + o) * oh * ow) + (i * ow) + j] = sum;
                    }
                }
            }
        }

        return y;
    }

    private static double[] BatchNorm(double[] x, int n, IReadOnlyList<int> s, double eps, double[]? g, double[]? b)
    {
        int c = s[0], hw = s[1] * s[2];
        var y = new double[x.Length];
        for (var ch = 0; ch < c; ch++)
        {
            var idx = Enumerable.Range(0, n).SelectMany(b0 => Enumerable.Range((((b0 * c) + ch) * hw), hw)).ToArray();
            var mean = idx.Average(i => x[i]);
            var variance = idx.Average(i => (x[i] - mean) * (x[i] - mean));
            foreach (var i in idx)
            {
                y[i] = ((x[i] - mean) / Math.Sqrt(variance + eps) * (g?[ch] ?? 1)) + (b?[ch] ?? 0);
            }
        }

        return y;
    }

    private static double[] Pool(double[] x, int n, IReadOnlyList<int> s, PoolLayer p)
    {
        int c = s[0], h = s[1], w = s[2], oh = p.OutputShape[1], ow = p.OutputShape[2];
        var y = new double[n * c * oh * ow];
        for (var plane = 0; plane < n * c; plane++)
        {
            for (var i = 0; i < oh; i++)
            {
                for (var j = 0; j < ow; j++)
                {
                    double sum = 0, max = double.NegativeInfinity;
                    var inImage = 0;
                    for (var u = 0; u < p.Kernel; u++)
                    {
                        for (var v = 0; v < p.Kernel; v++)
                        {
                            int iy = (i * p.Stride) + u - p.Padding, ix = (j * p.Stride) + v - p.Padding;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                            {
                                var val = x[(plane * h * w) + (iy * w) + ix];
                                sum += val;
                                max = Math.Max(max, val);
                                inImage++;
                            }
                        }
                    }

                    y[(plane * oh * ow) + (i * ow) + j] = p.Kind == PoolKind.Max ? max : sum / (p.CountIncludePad ? p.Kernel * p.Kernel : inImage);
                }
            }
        }

        return y;
    }

    private static double[] Gap(double[] x, int n, IReadOnlyList<int> s)
    {
        var hw = s[1] * s[2];
        return [.. Enumerable.Range(0, n * s[0]).Select(p => x.Skip(p * hw).Take(hw).Average())];
    }

    private static double[] Linear(double[] x, int n, LinearLayer f, double[] w, double[]? b)
    {
        var y = new double[n * f.OutFeatures];
        for (var i = 0; i < n; i++)
        {
            for (var o = 0; o < f.OutFeatures; o++)
            {
                var sum = b?[o] ?? 0;
                for (var k = 0; k < f.InFeatures; k++)
                {
                    sum += w[(o * f.InFeatures) + k] * x[(i * f.InFeatures) + k];
                }

                y[(i * f.OutFeatures) + o] = sum;
            }
        }

        return y;
    }
}
