using System.Numerics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Max pooling, PyTorch's CPU semantics: padding behaves as −∞; the window is scanned row by row and an element
/// replaces the running maximum when it is greater or NaN, so ties keep the first maximum in window order. The
/// winning index (within the plane) is recorded for the backward pass and the tangent.
/// </summary>
internal static class MaxPool2dForward
{
    /// <summary>Pools planes [<paramref name="firstPlane"/>, +<paramref name="planeCount"/>).</summary>
    public static void Run<T>(in PoolGeometry g, ReadOnlySpan<T> input, Span<T> output, Span<int> argMax, int firstPlane, int planeCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OutHeight, ow = g.OutWidth, w = g.Width;
        for (var p = firstPlane; p < firstPlane + planeCount; p++)
        {
            var x = input.Slice(p * g.InputPlane, g.InputPlane);
            var y = output.Slice(p * g.OutputPlane, g.OutputPlane);
            var a = argMax.Slice(p * g.OutputPlane, g.OutputPlane);
            for (var oy = 0; oy < oh; oy++)
            {
                var (y0, y1, _) = g.Window(oy, g.Height);
                for (var ox = 0; ox < ow; ox++)
                {
                    var (x0, x1, _) = g.Window(ox, w);
                    var best = T.NegativeInfinity;
                    var at = (y0 * w) + x0;
                    for (var iy = y0; iy < y1; iy++)
                    {
                        for (var ix = x0; ix < x1; ix++)
                        {
                            var v = x[(iy * w) + ix];
                            if (v > best || T.IsNaN(v))
                            {
                                best = v;
                                at = (iy * w) + ix;
                            }
                        }
                    }

                    y[(oy * ow) + ox] = best;
                    a[(oy * ow) + ox] = at;
                }
            }
        }
    }
}
