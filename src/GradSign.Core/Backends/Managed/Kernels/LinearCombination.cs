using System.Numerics;
using System.Runtime.InteropServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Element-wise linear combination of up to four spans plus a constant:
/// <c>destination[i] (+)= a·u[i] + b·v[i] + c·w[i] + d·z[i] + e</c>. Empty spans are skipped (their coefficient is ignored).
/// BatchNorm's backward and its tangents are all of this shape.
/// </summary>
internal static class LinearCombination
{
    /// <summary>Computes the combination; every non-empty input has the destination's length.</summary>
    /// <remarks>Lanes: Vector&lt;T&gt; chunks of consecutive elements, then a scalar tail with the same evaluation order.</remarks>
    public static void Run<T>(Span<T> destination, bool accumulate, T e,
        ReadOnlySpan<T> u, T a, ReadOnlySpan<T> v = default, T b = default, ReadOnlySpan<T> w = default, T c = default, ReadOnlySpan<T> z = default, T d = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var n = destination.Length;
        bool hasV = !v.IsEmpty, hasW = !w.IsEmpty, hasZ = !z.IsEmpty;
        var dv = MemoryMarshal.Cast<T, Vector<T>>(destination);
        var uv = MemoryMarshal.Cast<T, Vector<T>>(u[..n]);
        var vv = hasV ? MemoryMarshal.Cast<T, Vector<T>>(v[..n]) : default;
        var wv = hasW ? MemoryMarshal.Cast<T, Vector<T>>(w[..n]) : default;
        var zv = hasZ ? MemoryMarshal.Cast<T, Vector<T>>(z[..n]) : default;
        Vector<T> va = new(a), vb = new(b), vc = new(c), vd = new(d), ve = new(e);
        for (var i = 0; i < dv.Length; i++)
        {
            var s = (uv[i] * va) + ve;
            if (hasV)
            {
                s += vv[i] * vb;
            }

            if (hasW)
            {
                s += wv[i] * vc;
            }

            if (hasZ)
            {
                s += zv[i] * vd;
            }

            dv[i] = accumulate ? dv[i] + s : s;
        }

        for (var i = dv.Length * Vector<T>.Count; i < n; i++)
        {
            var s = (u[i] * a) + e;
            if (hasV)
            {
                s += v[i] * b;
            }

            if (hasW)
            {
                s += w[i] * c;
            }

            if (hasZ)
            {
                s += z[i] * d;
            }

            destination[i] = accumulate ? destination[i] + s : s;
        }
    }
}
