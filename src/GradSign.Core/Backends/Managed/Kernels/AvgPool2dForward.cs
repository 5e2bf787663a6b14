using System.Numerics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Average pooling, PyTorch's CPU semantics: the in-image window elements are summed row by row, then divided by
/// the window's padded size (count_include_pad) or by the number of in-image elements.
/// </summary>
internal static class AvgPool2dForward
{
    /// <summary>Pools planes [<paramref name="firstPlane"/>, +<paramref name="planeCount"/>) (a plane is one (n, c)).</summary>
    public static void Run<T>(in PoolGeometry g, ReadOnlySpan<T> input, Span<T> output, int firstPlane, int planeCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OutHeight, ow = g.OutWidth, w = g.Width;
        for (var p = firstPlane; p < firstPlane + planeCount; p++)
        {
            var x = input.Slice(p * g.InputPlane, g.InputPlane);
            var y = output.Slice(p * g.OutputPlane, g.OutputPlane);
            for (var oy = 0; oy < oh; oy++)
            {
                var (y0, y1, ph) = g.Window(oy, g.Height);
                for (var ox = 0; ox < ow; ox++)
                {
                    var (x0, x1, pw) = g.Window(ox, w);
                    var sum = T.Zero;
                    for (var iy = y0; iy < y1; iy++)
                    {
                        var row = x.Slice(iy * w, w);
                        for (var ix = x0; ix < x1; ix++)
                        {
                            sum += row[ix];
                        }
                    }

                    var divisor = g.CountIncludePad ? ph * pw : (y1 - y0) * (x1 - x0);
                    y[(oy * ow) + ox] = sum / T.CreateTruncating(divisor);
                }
            }
        }
    }
}
