using System.Numerics;
using System.Runtime.InteropServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Average pooling, PyTorch's CPU semantics: the in-image window elements are summed row by row, then divided by
/// the window's padded size (count_include_pad) or by the number of in-image elements.
/// </summary>
internal static class AvgPool2dForward
{
    /// <summary>Padded planes up to this many elements run the vector path (they fit on the stack).</summary>
    internal const int VectorLimit = 4096;

    /// <summary>Pools planes [<paramref name="firstPlane"/>, +<paramref name="planeCount"/>) (a plane is one (n, c)).</summary>
    /// <remarks>
    /// Stride 1 (NAS-Bench-201's 3×3 pooling edge): each plane is copied into a margin of −0, and every output sums
    /// its full k×k window there, Vector&lt;T&gt;.Count outputs of a row at a time (a lane per output x), in the scalar
    /// order (rows top to bottom, each left to right, from +0), then divides by its own divisor. Adding −0 leaves every
    /// float unchanged (x + (−0) = x, −0 and NaN included), so the margin's terms change nothing and each output is the
    /// scalar loop's bit for bit. Other strides, and larger planes, run that scalar loop.
    /// </remarks>
    public static void Run<T>(in PoolGeometry g, ReadOnlySpan<T> input, Span<T> output, int firstPlane, int planeCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pad = g.Padding, paddedWidth = g.Width + (2 * pad), paddedSize = (g.Height + (2 * pad)) * paddedWidth;
        if (g.Stride != 1 || paddedSize + g.OutputPlane > VectorLimit)
        {
            Scalar(g, input, output, firstPlane, planeCount);
            return;
        }

        Span<T> padded = stackalloc T[paddedSize];
        padded.Fill(T.NegativeZero);
        Span<T> divisors = stackalloc T[g.OutputPlane];
        PoolDivisors.Fill(g, divisors);
        for (var p = firstPlane; p < firstPlane + planeCount; p++)
        {
            var x = input.Slice(p * g.InputPlane, g.InputPlane);
            for (var iy = 0; iy < g.Height; iy++)
            {
                x.Slice(iy * g.Width, g.Width).CopyTo(padded[(((iy + pad) * paddedWidth) + pad)..]);
            }

            WindowSums(padded, paddedWidth, g.Kernel, g.OutHeight, g.OutWidth, divisors, output.Slice(p * g.OutputPlane, g.OutputPlane));
        }
    }

    /// <summary>
    /// <c>y[oy, ox] = (Σ_{i&lt;k} Σ_{j&lt;k} padded[oy + i, ox + j]) / divisors[oy, ox]</c>, summed from +0 in that order:
    /// Vector&lt;T&gt; lanes over ox, four rows' chains at a time (<see cref="PoolWindowSums"/>), a scalar tail doing the
    /// same.
    /// </summary>
    private static void WindowSums<T>(ReadOnlySpan<T> padded, int paddedWidth, int k, int oh, int ow, ReadOnlySpan<T> divisors, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var origin = ref MemoryMarshal.GetReference(padded);
        var lanes = Vector<T>.Count;
        var vectorEnd = ow - (ow % lanes);
        var oy = 0;
        for (; oy + 4 <= oh; oy += 4)
        {
            for (var ox = 0; ox < vectorEnd; ox += lanes)
            {
                Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero, s2 = Vector<T>.Zero, s3 = Vector<T>.Zero;
                PoolWindowSums.Four(ref origin, (nuint)((oy * paddedWidth) + ox), paddedWidth, k, ref s0, ref s1, ref s2, ref s3);
                var at = (oy * ow) + ox;
                Divide(s0, divisors, y, at);
                Divide(s1, divisors, y, at + ow);
                Divide(s2, divisors, y, at + (2 * ow));
                Divide(s3, divisors, y, at + (3 * ow));
            }

            for (var q = 0; q < 4; q++)
            {
                Row(padded, paddedWidth, k, oy + q, vectorEnd, ow, divisors, y);
            }
        }

        for (; oy < oh; oy++)
        {
            Row(padded, paddedWidth, k, oy, 0, ow, divisors, y);
        }
    }

    /// <summary>Outputs [<paramref name="firstX"/>, ow) of row <paramref name="oy"/>, one chain each: Vector&lt;T&gt; lanes
    /// over ox, a scalar tail doing the same.</summary>
    private static void Row<T>(ReadOnlySpan<T> padded, int paddedWidth, int k, int oy, int firstX, int ow, ReadOnlySpan<T> divisors, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var origin = ref MemoryMarshal.GetReference(padded);
        var ox = firstX;
        for (; ox + Vector<T>.Count <= ow; ox += Vector<T>.Count)
        {
            var sum = Vector<T>.Zero;
            for (var i = 0; i < k; i++)
            {
                var start = (nuint)(((oy + i) * paddedWidth) + ox);
                for (var j = 0; j < k; j++)
                {
                    sum += Vector.LoadUnsafe(ref origin, start + (nuint)j);
                }
            }

            Divide(sum, divisors, y, (oy * ow) + ox);
        }

        for (; ox < ow; ox++)
        {
            var sum = T.Zero;
            for (var i = 0; i < k; i++)
            {
                for (var j = 0; j < k; j++)
                {
                    sum += padded[((oy + i) * paddedWidth) + ox + j];
                }
            }

            y[(oy * ow) + ox] = sum / divisors[(oy * ow) + ox];
        }
    }

    /// <summary><c>y[at..] = sum / divisors[at..]</c>, one register.</summary>
    private static void Divide<T>(Vector<T> sum, ReadOnlySpan<T> divisors, Span<T> y, int at)
        where T : unmanaged, IFloatingPointIeee754<T>
        => (sum / new Vector<T>(divisors[at..])).CopyTo(y[at..]);

    /// <summary>The scalar definition (any stride).</summary>
    private static void Scalar<T>(in PoolGeometry g, ReadOnlySpan<T> input, Span<T> output, int firstPlane, int planeCount)
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
