using System.Numerics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>Average pooling backward: each output gradient, divided by its window's divisor, is added to every in-image element of the window.</summary>
internal static class AvgPool2dBackward
{
    /// <summary>Planes [<paramref name="firstPlane"/>, +<paramref name="planeCount"/>); without <paramref name="accumulate"/> the input gradient is overwritten.</summary>
    public static void Run<T>(in PoolGeometry g, ReadOnlySpan<T> gradOutput, Span<T> gradInput, bool accumulate, int firstPlane, int planeCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OutHeight, ow = g.OutWidth, w = g.Width;
        for (var p = firstPlane; p < firstPlane + planeCount; p++)
        {
            var dx = gradInput.Slice(p * g.InputPlane, g.InputPlane);
            var dy = gradOutput.Slice(p * g.OutputPlane, g.OutputPlane);
            if (!accumulate)
            {
                dx.Clear();
            }

            for (var oy = 0; oy < oh; oy++)
            {
                var (y0, y1, ph) = g.Window(oy, g.Height);
                for (var ox = 0; ox < ow; ox++)
                {
                    var (x0, x1, pw) = g.Window(ox, w);
                    var divisor = g.CountIncludePad ? ph * pw : (y1 - y0) * (x1 - x0);
                    var delta = dy[(oy * ow) + ox] / T.CreateTruncating(divisor);
                    for (var iy = y0; iy < y1; iy++)
                    {
                        var row = dx.Slice(iy * w, w);
                        for (var ix = x0; ix < x1; ix++)
                        {
                            row[ix] += delta;
                        }
                    }
                }
            }
        }
    }
}
