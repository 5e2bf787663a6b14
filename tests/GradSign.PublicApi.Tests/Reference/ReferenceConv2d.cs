using GradSign.Networks;

namespace GradSign.Tests.Backends.Reference;

/// <summary>
/// Naive 2-D cross-correlation with zero padding (PyTorch <c>Conv2d</c>):
/// <c>y[n,o,i,j] = b[o] + Σ_{c,u,v} W[o,c,u,v] · x[n, c, i·s − p + u, j·s − p + v]</c>, out-of-image taps are 0.
/// Loops are ordered so that the innermost runs along an output row; nothing else is clever.
/// </summary>
internal static class ReferenceConv2d
{
    public static T[] Forward<T>(Conv2dLayer layer, int[] inShape, T[] x, int n, T[] weight, T[]? bias)
        where T : struct, IScalar<T>
    {
        var (cin, h, w) = (inShape[0], inShape[1], inShape[2]);
        var (cout, oh, ow) = (layer.OutputShape[0], layer.OutputShape[1], layer.OutputShape[2]);
        var (k, s, p) = (layer.Kernel, layer.Stride, layer.Padding);
        var y = new T[n * cout * oh * ow];
        for (var b = 0; b < n; b++)
        {
            for (var o = 0; o < cout; o++)
            {
                var yBase = ((b * cout) + o) * oh * ow;
                if (bias is not null)
                {
                    for (var q = 0; q < oh * ow; q++)
                    {
                        y[yBase + q] = bias[o];
                    }
                }

                for (var c = 0; c < cin; c++)
                {
                    var xBase = ((b * cin) + c) * h * w;
                    for (var u = 0; u < k; u++)
                    {
                        for (var v = 0; v < k; v++)
                        {
                            var wt = weight[(((((o * cin) + c) * k) + u) * k) + v];
                            for (var i = 0; i < oh; i++)
                            {
                                var row = (i * s) - p + u;
                                if (row < 0 || row >= h)
                                {
                                    continue;
                                }

                                for (var j = 0; j < ow; j++)
                                {
                                    var col = (j * s) - p + v;
                                    if (col >= 0 && col < w)
                                    {
                                        y[yBase + (i * ow) + j] += wt * x[xBase + (row * w) + col];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        return y;
    }

    /// <summary>Accumulates ∂L/∂x into <paramref name="gx"/>, ∂L/∂W into <paramref name="gWeight"/> and ∂L/∂b into <paramref name="gBias"/>.</summary>
    public static void Backward<T>(Conv2dLayer layer, int[] inShape, T[] x, T[] gy, int n, T[] weight, T[] gx, T[] gWeight, T[]? gBias)
        where T : struct, IScalar<T>
    {
        var (cin, h, w) = (inShape[0], inShape[1], inShape[2]);
        var (cout, oh, ow) = (layer.OutputShape[0], layer.OutputShape[1], layer.OutputShape[2]);
        var (k, s, p) = (layer.Kernel, layer.Stride, layer.Padding);
        for (var b = 0; b < n; b++)
        {
            for (var o = 0; o < cout; o++)
            {
                var yBase = ((b * cout) + o) * oh * ow;
                if (gBias is not null)
                {
                    for (var q = 0; q < oh * ow; q++)
                    {
                        gBias[o] += gy[yBase + q];
                    }
                }

                for (var c = 0; c < cin; c++)
                {
                    var xBase = ((b * cin) + c) * h * w;
                    for (var u = 0; u < k; u++)
                    {
                        for (var v = 0; v < k; v++)
                        {
                            var wIndex = (((((o * cin) + c) * k) + u) * k) + v;
                            var wt = weight[wIndex];
                            var gw = T.Zero;
                            for (var i = 0; i < oh; i++)
                            {
                                var row = (i * s) - p + u;
                                if (row < 0 || row >= h)
                                {
                                    continue;
                                }

                                for (var j = 0; j < ow; j++)
                                {
                                    var col = (j * s) - p + v;
                                    if (col >= 0 && col < w)
                                    {
                                        // y += wt·x  ⇒  ∂L/∂wt += gy·x and ∂L/∂x += gy·wt.
                                        var g = gy[yBase + (i * ow) + j];
                                        var xi = xBase + (row * w) + col;
                                        gw += g * x[xi];
                                        gx[xi] += g * wt;
                                    }
                                }
                            }

                            gWeight[wIndex] += gw;
                        }
                    }
                }
            }
        }
    }
}
