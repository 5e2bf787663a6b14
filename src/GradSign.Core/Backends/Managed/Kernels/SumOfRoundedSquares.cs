using System.Numerics;
using System.Runtime.InteropServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// <c>Σ T((x[i] − m)²)</c> over one run, returned in float64, rounded as PyTorch's CPU BatchNorm statistics are
/// (<c>_var_sum += (x − mean)·(x − mean)</c> with T operands and a float64 accumulator): the deviation and its square
/// are rounded to T, the squares are summed in float64. <see cref="SumOfSquaredDeviations"/> is the accurate variant.
/// </summary>
internal static class SumOfRoundedSquares
{
    /// <summary>Computes the sum.</summary>
    /// <remarks>Lanes: deviations and squares on Vector&lt;T&gt; chunks; float32 square chunks are widened into two
    /// Vector&lt;double&gt; halves and accumulated lane-wise in float64 (float64 ones directly). Scalar tail:
    /// <c>T d = x[i] − m; s += (double)(d·d)</c>. The float64 sum of at most a few thousand squares is exact to far
    /// below the T rounding applied to it afterwards, so the lane order does not show.</remarks>
    public static double Run<T>(ReadOnlySpan<T> x, T m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum;
        int done;
        if (typeof(T) == typeof(float))
        {
            var xv = MemoryMarshal.Cast<T, Vector<float>>(x);
            var vm = new Vector<float>(float.CreateTruncating(m));
            Vector<double> lo = Vector<double>.Zero, hi = Vector<double>.Zero;
            for (var i = 0; i < xv.Length; i++)
            {
                var d = xv[i] - vm;
                Vector.Widen(d * d, out var a, out var b);
                lo += a;
                hi += b;
            }

            sum = Vector.Sum(lo + hi);
            done = xv.Length * Vector<float>.Count;
        }
        else
        {
            var xv = MemoryMarshal.Cast<T, Vector<T>>(x);
            var vm = new Vector<T>(m);
            var acc = Vector<T>.Zero;
            for (var i = 0; i < xv.Length; i++)
            {
                var d = xv[i] - vm;
                acc += d * d;
            }

            sum = double.CreateTruncating(Vector.Sum(acc));
            done = xv.Length * Vector<T>.Count;
        }

        for (var i = done; i < x.Length; i++)
        {
            var d = x[i] - m;
            sum += double.CreateTruncating(d * d);
        }

        return sum;
    }
}
