using GradSign.Networks;

namespace GradSign.Tests.Backends.Reference;

/// <summary>
/// 2-D average and max pooling with PyTorch semantics. Average: the divisor is the window clipped to the padded
/// image when <c>count_include_pad</c>, else to the image. Max: padding is −∞; a NaN wins (PyTorch CPU); ties
/// go to the first maximum in window order (row-major), which also receives the whole gradient.
/// </summary>
internal static class ReferencePool
{
    public static T[] Forward<T>(PoolLayer layer, int[] inShape, T[] x, int n)
        where T : struct, IScalar<T>
    {
        var (channels, h, w) = (inShape[0], inShape[1], inShape[2]);
        var (oh, ow) = (layer.OutputShape[1], layer.OutputShape[2]);
        var y = new T[n * channels * oh * ow];
        for (var plane = 0; plane < n * channels; plane++)
        {
            for (var i = 0; i < oh; i++)
            {
                for (var j = 0; j < ow; j++)
                {
                    var window = Window(layer, h, w, i, j);
                    var outIndex = (plane * oh * ow) + (i * ow) + j;
                    if (layer.Kind == PoolKind.Max)
                    {
                        y[outIndex] = x[(plane * h * w) + ArgMax(x, plane * h * w, w, window)];
                    }
                    else
                    {
                        var sum = T.Zero;
                        foreach (var q in Pixels(w, window))
                        {
                            sum += x[(plane * h * w) + q];
                        }

                        y[outIndex] = sum / T.FromDouble(layer.CountIncludePad ? window.PaddedCount : window.Count);
                    }
                }
            }
        }

        return y;
    }

    public static void Backward<T>(PoolLayer layer, int[] inShape, T[] x, T[] gy, int n, T[] gx)
        where T : struct, IScalar<T>
    {
        var (channels, h, w) = (inShape[0], inShape[1], inShape[2]);
        var (oh, ow) = (layer.OutputShape[1], layer.OutputShape[2]);
        for (var plane = 0; plane < n * channels; plane++)
        {
            for (var i = 0; i < oh; i++)
            {
                for (var j = 0; j < ow; j++)
                {
                    var window = Window(layer, h, w, i, j);
                    var g = gy[(plane * oh * ow) + (i * ow) + j];
                    if (layer.Kind == PoolKind.Max)
                    {
                        gx[(plane * h * w) + ArgMax(x, plane * h * w, w, window)] += g;
                    }
                    else
                    {
                        var share = g / T.FromDouble(layer.CountIncludePad ? window.PaddedCount : window.Count);
                        foreach (var q in Pixels(w, window))
                        {
                            gx[(plane * h * w) + q] += share;
                        }
                    }
                }
            }
        }
    }

    private readonly record struct PoolWindow(int Row0, int Row1, int Col0, int Col1, int PaddedCount)
    {
        public int Count => (Row1 - Row0) * (Col1 - Col0);
    }

    // As PyTorch's avg_pool2d: the window is first clipped to the padded image (that size is the
    // count_include_pad divisor), then to the image itself.
    private static PoolWindow Window(PoolLayer layer, int h, int w, int i, int j)
    {
        var r0 = (i * layer.Stride) - layer.Padding;
        var c0 = (j * layer.Stride) - layer.Padding;
        var r1 = Math.Min(r0 + layer.Kernel, h + layer.Padding);
        var c1 = Math.Min(c0 + layer.Kernel, w + layer.Padding);
        var padded = (r1 - r0) * (c1 - c0);
        return new PoolWindow(Math.Max(r0, 0), Math.Min(r1, h), Math.Max(c0, 0), Math.Min(c1, w), padded);
    }

    private static IEnumerable<int> Pixels(int w, PoolWindow window)
    {
        for (var r = window.Row0; r < window.Row1; r++)
        {
            for (var c = window.Col0; c < window.Col1; c++)
            {
                yield return (r * w) + c;
            }
        }
    }

    // Padding is −∞, so only in-image pixels can win; the first strict improvement (or NaN) in row-major order wins.
    private static int ArgMax<T>(T[] x, int planeStart, int w, PoolWindow window)
        where T : struct, IScalar<T>
    {
        var best = -1;
        var bestValue = double.NegativeInfinity;
        foreach (var q in Pixels(w, window))
        {
            var v = x[planeStart + q].Value;
            if (best < 0 || v > bestValue || double.IsNaN(v))
            {
                best = q;
                bestValue = v;
                if (double.IsNaN(v))
                {
                    break;
                }
            }
        }

        return best;
    }
}
