using System.Numerics;
using System.Runtime.InteropServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>Average pooling backward: each output gradient, divided by its window's divisor, is added to every in-image element of the window.</summary>
internal static class AvgPool2dBackward
{
    /// <summary>Planes [<paramref name="firstPlane"/>, +<paramref name="planeCount"/>); without <paramref name="accumulate"/> the input gradient is overwritten.</summary>
    /// <remarks>
    /// The scalar definition scatters: outputs in row-major order, each adding its divided gradient to its window, so an
    /// input element receives the contributions of the outputs covering it in row-major order. Stride 1 gathers
    /// instead, in that same order: the divided gradients are written into a plane with a margin of k − 1 − p of −0,
    /// and each input element starts from its old value (or +0) and adds the k×k divided gradients around it, rows top
    /// to bottom, each left to right, Vector&lt;T&gt;.Count elements of a row at a time (a lane per input x). The margin's
    /// −0 terms stand for outputs that do not exist and change nothing (x + (−0) = x for every float), so every
    /// element gets the scatter's additions in the scatter's order, bit for bit. Other strides, and larger planes, scatter.
    /// </remarks>
    public static void Run<T>(in PoolGeometry g, ReadOnlySpan<T> gradOutput, Span<T> gradInput, bool accumulate, int firstPlane, int planeCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Input x is covered by outputs [x + p − k + 1, x + p]; the margin m = k − 1 − p puts them at [x, x + k) in the
        // margined plane, whose width OW + 2m equals W + k − 1.
        var margin = g.Kernel - 1 - g.Padding;
        int deltaWidth = g.OutWidth + (2 * margin), deltaSize = (g.OutHeight + (2 * margin)) * deltaWidth;
        if (g.Stride != 1 || margin < 0 || deltaSize + g.OutputPlane > AvgPool2dForward.VectorLimit)
        {
            Scatter(g, gradOutput, gradInput, accumulate, firstPlane, planeCount);
            return;
        }

        Span<T> delta = stackalloc T[deltaSize];
        delta.Fill(T.NegativeZero);
        Span<T> divisors = stackalloc T[g.OutputPlane];
        PoolDivisors.Fill(g, divisors);
        for (var p = firstPlane; p < firstPlane + planeCount; p++)
        {
            var dy = gradOutput.Slice(p * g.OutputPlane, g.OutputPlane);
            for (var oy = 0; oy < g.OutHeight; oy++)
            {
                var at = oy * g.OutWidth;
                Divide(dy.Slice(at, g.OutWidth), divisors.Slice(at, g.OutWidth), delta[(((oy + margin) * deltaWidth) + margin)..]);
            }

            Gather(delta, deltaWidth, g.Kernel, g.Height, g.Width, gradInput.Slice(p * g.InputPlane, g.InputPlane), accumulate);
        }
    }

    /// <summary><c>delta[i] = dy[i] / divisors[i]</c>: Vector&lt;T&gt; lanes, scalar tail.</summary>
    private static void Divide<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> divisors, Span<T> delta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i = 0;
        for (; i + Vector<T>.Count <= dy.Length; i += Vector<T>.Count)
        {
            (new Vector<T>(dy[i..]) / new Vector<T>(divisors[i..])).CopyTo(delta[i..]);
        }

        for (; i < dy.Length; i++)
        {
            delta[i] = dy[i] / divisors[i];
        }
    }

    /// <summary><c>dx[y, x] (+)= Σ_{i&lt;k} Σ_{j&lt;k} delta[y + i, x + j]</c> in that order: Vector&lt;T&gt; lanes over x, four
    /// rows' chains at a time (<see cref="PoolWindowSums"/>), a scalar tail doing the same.</summary>
    private static void Gather<T>(ReadOnlySpan<T> delta, int deltaWidth, int k, int h, int w, Span<T> dx, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var origin = ref MemoryMarshal.GetReference(delta);
        var lanes = Vector<T>.Count;
        var vectorEnd = w - (w % lanes);
        var iy = 0;
        for (; iy + 4 <= h; iy += 4)
        {
            for (var ix = 0; ix < vectorEnd; ix += lanes)
            {
                var at = (iy * w) + ix;
                Vector<T> s0 = Start(dx, at, accumulate), s1 = Start(dx, at + w, accumulate);
                Vector<T> s2 = Start(dx, at + (2 * w), accumulate), s3 = Start(dx, at + (3 * w), accumulate);
                PoolWindowSums.Four(ref origin, (nuint)((iy * deltaWidth) + ix), deltaWidth, k, ref s0, ref s1, ref s2, ref s3);
                s0.CopyTo(dx[at..]);
                s1.CopyTo(dx[(at + w)..]);
                s2.CopyTo(dx[(at + (2 * w))..]);
                s3.CopyTo(dx[(at + (3 * w))..]);
            }

            for (var q = 0; q < 4; q++)
            {
                Row(delta, deltaWidth, k, iy + q, vectorEnd, w, dx, accumulate);
            }
        }

        for (; iy < h; iy++)
        {
            Row(delta, deltaWidth, k, iy, 0, w, dx, accumulate);
        }
    }

    /// <summary>Elements [<paramref name="firstX"/>, w) of row <paramref name="iy"/>, one chain each: Vector&lt;T&gt; lanes
    /// over x, a scalar tail doing the same.</summary>
    private static void Row<T>(ReadOnlySpan<T> delta, int deltaWidth, int k, int iy, int firstX, int w, Span<T> dx, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var origin = ref MemoryMarshal.GetReference(delta);
        var row = dx.Slice(iy * w, w);
        var ix = firstX;
        for (; ix + Vector<T>.Count <= w; ix += Vector<T>.Count)
        {
            var acc = Start(row, ix, accumulate);
            for (var i = 0; i < k; i++)
            {
                var start = (nuint)(((iy + i) * deltaWidth) + ix);
                for (var j = 0; j < k; j++)
                {
                    acc += Vector.LoadUnsafe(ref origin, start + (nuint)j);
                }
            }

            acc.CopyTo(row[ix..]);
        }

        for (; ix < w; ix++)
        {
            var acc = accumulate ? row[ix] : T.Zero;
            for (var i = 0; i < k; i++)
            {
                for (var j = 0; j < k; j++)
                {
                    acc += delta[((iy + i) * deltaWidth) + ix + j];
                }
            }

            row[ix] = acc;
        }
    }

    /// <summary>A chain's starting value: the old gradient when accumulating, else +0.</summary>
    private static Vector<T> Start<T>(Span<T> dx, int at, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => accumulate ? new Vector<T>(dx[at..]) : Vector<T>.Zero;

    /// <summary>The scalar definition (any stride).</summary>
    private static void Scatter<T>(in PoolGeometry g, ReadOnlySpan<T> gradOutput, Span<T> gradInput, bool accumulate, int firstPlane, int planeCount)
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
