using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Reductions of one contiguous run returned in float64. float32 runs are accumulated in float64 (each element widened
/// before it is added), as PyTorch's CPU kernels do with their <c>acc_type&lt;float&gt; = double</c>: a float32 running
/// sum over a 16×16 or 32×32 run loses several ulps, which shifts a per-sample BatchNorm mean by up to ~1e-6·σ and
/// flips the ReLU of activations that sit that close to the mean. float64 runs are summed vectorised in float64.
/// </summary>
internal static class PackedSum
{
    /// <summary>Σ x as float64.</summary>
    public static double Sum<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? WideSum(MemoryMarshal.Cast<T, float>(x)) : double.CreateTruncating(TensorPrimitives.Sum(x));

    /// <summary>Σ x·y as float64.</summary>
    public static double Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float)
            ? WideDot(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y))
            : double.CreateTruncating(TensorPrimitives.Dot(x, y));

    /// <remarks>Lanes: each Vector&lt;float&gt; chunk is widened into its low and high halves (two Vector&lt;double&gt;),
    /// accumulated lane-wise in two float64 registers, reduced at the end; scalar tail in float64. Scalar equivalent:
    /// <c>double s = 0; foreach (var v in x) s += v;</c> (up to summation order).</remarks>
    private static double WideSum(ReadOnlySpan<float> x)
    {
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        Vector<double> lo = Vector<double>.Zero, hi = Vector<double>.Zero;
        for (var i = 0; i < xv.Length; i++)
        {
            Vector.Widen(xv[i], out var a, out var b);
            lo += a;
            hi += b;
        }

        var sum = Vector.Sum(lo + hi);
        for (var i = xv.Length * Vector<float>.Count; i < x.Length; i++)
        {
            sum += x[i];
        }

        return sum;
    }

    /// <remarks>Lanes as <see cref="WideSum"/>; the product of two widened floats is exact in float64, so only the
    /// accumulation rounds. Scalar equivalent: <c>double s = 0; for (i) s += (double)x[i] * y[i];</c>.</remarks>
    private static double WideDot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var yv = MemoryMarshal.Cast<float, Vector<float>>(y[..x.Length]);
        Vector<double> lo = Vector<double>.Zero, hi = Vector<double>.Zero;
        for (var i = 0; i < xv.Length; i++)
        {
            Vector.Widen(xv[i], out var xa, out var xb);
            Vector.Widen(yv[i], out var ya, out var yb);
            lo += xa * ya;
            hi += xb * yb;
        }

        var sum = Vector.Sum(lo + hi);
        for (var i = xv.Length * Vector<float>.Count; i < x.Length; i++)
        {
            sum += (double)x[i] * y[i];
        }

        return sum;
    }
}
