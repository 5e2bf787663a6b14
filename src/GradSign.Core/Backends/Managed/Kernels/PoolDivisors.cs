using System.Numerics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>Average pooling's divisor per output: the window's padded size (count_include_pad) or its in-image count.</summary>
internal static class PoolDivisors
{
    /// <summary>Writes the divisor of output (oy, ox) at <c>oy·OW + ox</c>.</summary>
    public static void Fill<T>(in PoolGeometry g, Span<T> divisors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var oy = 0; oy < g.OutHeight; oy++)
        {
            var (y0, y1, ph) = g.Window(oy, g.Height);
            for (var ox = 0; ox < g.OutWidth; ox++)
            {
                var (x0, x1, pw) = g.Window(ox, g.Width);
                divisors[(oy * g.OutWidth) + ox] = T.CreateTruncating(g.CountIncludePad ? ph * pw : (y1 - y0) * (x1 - x0));
            }
        }
    }
}
