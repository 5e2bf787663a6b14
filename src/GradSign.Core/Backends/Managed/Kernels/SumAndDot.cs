using System.Numerics;
using System.Runtime.InteropServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary><c>(Σ a[i], Σ a[i]·b[i])</c> over one run in a single pass, returned in float64.</summary>
internal static class SumAndDot
{
    /// <summary>Computes both sums.</summary>
    /// <remarks>Lanes: Vector&lt;T&gt; chunks accumulate two lane-wise partial sums, reduced at the end; scalar tail in float64.</remarks>
    public static (double Sum, double Dot) Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
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
}
