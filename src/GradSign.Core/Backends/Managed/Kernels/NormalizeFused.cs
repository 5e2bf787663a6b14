using System.Numerics;
using System.Runtime.InteropServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// BatchNorm's output pass over one run as PyTorch's CPU kernel computes it (<c>batch_norm_cpu_contiguous_impl</c>:
/// <c>output = input·α + β'</c>, contracted to one fused multiply-add): <c>y[i] = fma(x[i], α, β')</c>. With affine
/// parameters x̂ (kept for the backward pass) is the accurate <c>(x[i] − m)·r</c>; without them the output is x̂ itself.
/// <see cref="Normalize"/> is the accurate variant.
/// </summary>
internal static class NormalizeFused
{
    /// <summary>Writes x̂ (and y when <paramref name="affine"/>); without affine parameters x̂ = fma(x, α, β').</summary>
    /// <remarks>Lanes: Vector&lt;T&gt; chunks of consecutive elements; scalar tail with the same operations.</remarks>
    public static void Run<T>(ReadOnlySpan<T> x, T m, T r, T alpha, T shift, Span<T> xhat, bool affine, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var n = x.Length;
        var xv = MemoryMarshal.Cast<T, Vector<T>>(x);
        var hv = MemoryMarshal.Cast<T, Vector<T>>(xhat[..n]);
        Vector<T> vm = new(m), vr = new(r), va = new(alpha), vs = new(shift);
        if (affine)
        {
            var yv = MemoryMarshal.Cast<T, Vector<T>>(y[..n]);
            for (var i = 0; i < xv.Length; i++)
            {
                hv[i] = (xv[i] - vm) * vr;
                yv[i] = Fma(xv[i], va, vs);
            }
        }
        else
        {
            for (var i = 0; i < xv.Length; i++)
            {
                hv[i] = Fma(xv[i], va, vs);
            }
        }

        for (var i = xv.Length * Vector<T>.Count; i < n; i++)
        {
            if (affine)
            {
                xhat[i] = (x[i] - m) * r;
                y[i] = T.FusedMultiplyAdd(x[i], alpha, shift);
            }
            else
            {
                xhat[i] = T.FusedMultiplyAdd(x[i], alpha, shift);
            }
        }
    }

    /// <summary>Lane-wise a·b + c with one rounding (Vector.FusedMultiplyAdd has float and double overloads only; the
    /// typeof test is a JIT-time constant).</summary>
    private static Vector<T> Fma<T>(Vector<T> a, Vector<T> b, Vector<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float)
            ? Vector.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>()
            : Vector.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
}
