using System.Numerics;
using System.Runtime.InteropServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary><c>Σ (x[i] − m)²</c> over one run, without writing the deviations, returned in float64.</summary>
internal static class SumOfSquaredDeviations
{
    /// <summary>Computes the sum.</summary>
    /// <remarks>Lanes: Vector&lt;T&gt; chunks accumulate lane-wise partial sums, reduced at the end; scalar tail in float64.</remarks>
    public static double Run<T>(ReadOnlySpan<T> x, T m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
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
}
