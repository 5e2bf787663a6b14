using System.Numerics;
using System.Runtime.InteropServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// <c>Σ (x[i] − m)²</c> over one run, without writing the deviations, returned in float64. float32 runs are widened and
/// accumulated in float64 (as PyTorch's CPU BatchNorm statistics are; see <see cref="PackedSum"/> for why).
/// </summary>
internal static class SumOfSquaredDeviations
{
    /// <summary>Computes the sum.</summary>
    /// <remarks>Lanes: Vector&lt;T&gt; chunks accumulate lane-wise partial sums, reduced at the end; scalar tail in float64.</remarks>
    public static double Run<T>(ReadOnlySpan<T> x, T m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Wide(MemoryMarshal.Cast<T, float>(x), float.CreateTruncating(m));
        }

        var xv = MemoryMarshal.Cast<T, Vector<T>>(x);
        var vm = new Vector<T>(m);
        var acc = Vector<T>.Zero;
        for (var i = 0; i < xv.Length; i++)
        {
            var d = xv[i] - vm;
            acc += d * d;
        }

        var sum = double.CreateTruncating(Vector.Sum(acc));
        for (var i = xv.Length * Vector<T>.Count; i < x.Length; i++)
        {
            var d = double.CreateTruncating(x[i] - m);
            sum += d * d;
        }

        return sum;
    }

    /// <remarks>Lanes: each Vector&lt;float&gt; chunk is widened into two Vector&lt;double&gt; halves; the deviation, its
    /// square and the lane-wise sums are all float64. Scalar equivalent: <c>double d = (double)x[i] − m; s += d·d</c>.</remarks>
    private static double Wide(ReadOnlySpan<float> x, float m)
    {
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vm = new Vector<double>(m);
        Vector<double> lo = Vector<double>.Zero, hi = Vector<double>.Zero;
        for (var i = 0; i < xv.Length; i++)
        {
            Vector.Widen(xv[i], out var a, out var b);
            a -= vm;
            b -= vm;
            lo += a * a;
            hi += b * b;
        }

        var sum = Vector.Sum(lo + hi);
        for (var i = xv.Length * Vector<float>.Count; i < x.Length; i++)
        {
            var d = (double)x[i] - m;
            sum += d * d;
        }

        return sum;
    }
}
