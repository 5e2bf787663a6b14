using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        if (typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated && x.Length >= Vector512<float>.Count)
        {
            // Whole 16-float registers first; every operation is lane-wise, so the register width does not change a bit.
            var done = Run512(MemoryMarshal.Cast<T, float>(x), float.CreateTruncating(m), float.CreateTruncating(r), float.CreateTruncating(alpha),
                float.CreateTruncating(shift), MemoryMarshal.Cast<T, float>(xhat[..x.Length]), affine, affine ? MemoryMarshal.Cast<T, float>(y[..x.Length]) : default);
            x = x[done..];
            xhat = xhat[done..];
            y = affine ? y[done..] : y;
        }

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

    /// <summary>The float32 body on Vector512: lanes are 16 consecutive elements; returns how many elements it did (whole
    /// registers only). Scalar equivalent: the tail loop of <see cref="Run{T}"/>.</summary>
    private static int Run512(ReadOnlySpan<float> x, float m, float r, float alpha, float shift, Span<float> xhat, bool affine, Span<float> y)
    {
        var n = x.Length - (x.Length % Vector512<float>.Count);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var hr = ref MemoryMarshal.GetReference(xhat);
        Vector512<float> vm = Vector512.Create(m), vr = Vector512.Create(r), va = Vector512.Create(alpha), vs = Vector512.Create(shift);
        if (affine)
        {
            ref var yr = ref MemoryMarshal.GetReference(y);
            for (nuint i = 0; i < (nuint)n; i += (nuint)Vector512<float>.Count)
            {
                var v = Vector512.LoadUnsafe(ref xr, i);
                ((v - vm) * vr).StoreUnsafe(ref hr, i);
                Vector512.FusedMultiplyAdd(v, va, vs).StoreUnsafe(ref yr, i);
            }
        }
        else
        {
            for (nuint i = 0; i < (nuint)n; i += (nuint)Vector512<float>.Count)
            {
                Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xr, i), va, vs).StoreUnsafe(ref hr, i);
            }
        }

        return n;
    }

    /// <summary>Lane-wise a·b + c with one rounding (Vector.FusedMultiplyAdd has float and double overloads only; the
    /// typeof test is a JIT-time constant).</summary>
    private static Vector<T> Fma<T>(Vector<T> a, Vector<T> b, Vector<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float)
            ? Vector.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>()
            : Vector.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
}
