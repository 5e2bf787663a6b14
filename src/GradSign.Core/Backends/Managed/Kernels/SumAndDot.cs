using System.Numerics;
using System.Runtime.InteropServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// <c>(Σ a[i], Σ a[i]·b[i])</c> over one run in a single pass, returned in float64. float32 runs are widened and
/// accumulated in float64 (BatchNorm backward's Σ∂L/∂y and Σ∂L/∂y·x̂; see <see cref="PackedSum"/> for why).
/// </summary>
internal static class SumAndDot
{
    /// <summary>Computes both sums.</summary>
    /// <remarks>Lanes: Vector&lt;T&gt; chunks accumulate two lane-wise partial sums, reduced at the end; scalar tail in float64.</remarks>
    public static (double Sum, double Dot) Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Wide(MemoryMarshal.Cast<T, float>(a), MemoryMarshal.Cast<T, float>(b));
        }

        var av = MemoryMarshal.Cast<T, Vector<T>>(a);
        var bv = MemoryMarshal.Cast<T, Vector<T>>(b[..a.Length]);
        Vector<T> s = Vector<T>.Zero, d = Vector<T>.Zero;
        for (var i = 0; i < av.Length; i++)
        {
            s += av[i];
            d += av[i] * bv[i];
        }

        var sum = double.CreateTruncating(Vector.Sum(s));
        var dot = double.CreateTruncating(Vector.Sum(d));
        for (var i = av.Length * Vector<T>.Count; i < a.Length; i++)
        {
            sum += double.CreateTruncating(a[i]);
            dot += double.CreateTruncating(a[i] * b[i]);
        }

        return (sum, dot);
    }

    /// <remarks>Lanes: each Vector&lt;float&gt; chunk of a and b is widened into two Vector&lt;double&gt; halves; the
    /// products (exact in float64) and both sums are float64. Scalar equivalent: <c>s += a[i]; d += (double)a[i]·b[i]</c>.</remarks>
    private static (double Sum, double Dot) Wide(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var av = MemoryMarshal.Cast<float, Vector<float>>(a);
        var bv = MemoryMarshal.Cast<float, Vector<float>>(b[..a.Length]);
        Vector<double> sLo = Vector<double>.Zero, sHi = Vector<double>.Zero, dLo = Vector<double>.Zero, dHi = Vector<double>.Zero;
        for (var i = 0; i < av.Length; i++)
        {
            Vector.Widen(av[i], out var a0, out var a1);
            Vector.Widen(bv[i], out var b0, out var b1);
            sLo += a0;
            sHi += a1;
            dLo += a0 * b0;
            dHi += a1 * b1;
        }

        var sum = Vector.Sum(sLo + sHi);
        var dot = Vector.Sum(dLo + dHi);
        for (var i = av.Length * Vector<float>.Count; i < a.Length; i++)
        {
            sum += a[i];
            dot += (double)a[i] * b[i];
        }

        return (sum, dot);
    }
}
