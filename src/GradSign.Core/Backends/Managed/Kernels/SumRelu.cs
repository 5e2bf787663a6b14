using System.Numerics;
using System.Runtime.InteropServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// A sum's last addition and the ReLU after it in one pass: <c>y[i] = max(a[i] + b[i], 0)</c>, the same floats as
/// <see cref="ReluForward"/> applied to the rounded sum (NaN propagates, −0 becomes +0).
/// </summary>
internal static class SumRelu
{
    /// <summary>Writes <c>max(a + b, 0)</c> element-wise; <paramref name="y"/> may be <paramref name="a"/> itself (a running
    /// sum of earlier inputs).</summary>
    /// <remarks>Lanes: Vector&lt;T&gt; chunks; <c>s = a + b</c> is kept where <c>s &gt; 0</c> or NaN (<c>s ≠ s</c>), +0 elsewhere.
    /// Scalar tail identical.</remarks>
    public static void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var n = a.Length;
        var av = MemoryMarshal.Cast<T, Vector<T>>(a);
        var bv = MemoryMarshal.Cast<T, Vector<T>>(b[..n]);
        var yv = MemoryMarshal.Cast<T, Vector<T>>(y[..n]);
        for (var i = 0; i < av.Length; i++)
        {
            var s = av[i] + bv[i];
            var keep = Vector.GreaterThan(s, Vector<T>.Zero) | ~Vector.Equals(s, s);
            yv[i] = Vector.ConditionalSelect(keep, s, Vector<T>.Zero);
        }

        for (var i = av.Length * Vector<T>.Count; i < n; i++)
        {
            var s = a[i] + b[i];
            y[i] = s > T.Zero || T.IsNaN(s) ? s : T.Zero;
        }
    }
}
