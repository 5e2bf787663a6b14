using System.Numerics;
using System.Runtime.InteropServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>Element-wise affine map: <c>destination[i] = a·x[i] + b</c> (or <c>+=</c> with <c>accumulate</c>).</summary>
internal static class ScaleShift
{
    /// <summary>Runs the map over <paramref name="x"/>; <paramref name="destination"/> may alias <paramref name="x"/>.</summary>
    /// <remarks>Lanes: Vector&lt;T&gt; chunks of consecutive elements, then a scalar tail with the identical formula.</remarks>
    public static void Run<T>(ReadOnlySpan<T> x, T a, T b, Span<T> destination, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var n = x.Length;
        var xv = MemoryMarshal.Cast<T, Vector<T>>(x);
        var dv = MemoryMarshal.Cast<T, Vector<T>>(destination[..n]);
        var va = new Vector<T>(a);
        var vb = new Vector<T>(b);
        if (accumulate)
        {
            for (var i = 0; i < xv.Length; i++)
            {
                dv[i] += (xv[i] * va) + vb;
            }
        }
        else
        {
            for (var i = 0; i < xv.Length; i++)
            {
                dv[i] = (xv[i] * va) + vb;
            }
        }

        for (var i = xv.Length * Vector<T>.Count; i < n; i++)
        {
            var v = (a * x[i]) + b;
            destination[i] = accumulate ? destination[i] + v : v;
        }
    }
}
