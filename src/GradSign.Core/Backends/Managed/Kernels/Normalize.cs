using System.Numerics;
using System.Runtime.InteropServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// BatchNorm's output pass over one run: <c>x̂[i] = (x[i] − m)·r</c> and, with affine parameters,
/// <c>y[i] = γ·x̂[i] + β</c> (both written in the same pass).
/// </summary>
internal static class Normalize
{
    /// <summary>Writes x̂ (and y when <paramref name="affine"/>).</summary>
    /// <remarks>Lanes: Vector&lt;T&gt; chunks of consecutive elements; scalar tail with the same operation order.</remarks>
    public static void Run<T>(ReadOnlySpan<T> x, T m, T r, Span<T> xhat, bool affine, T gamma, T beta, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var n = x.Length;
        var xv = MemoryMarshal.Cast<T, Vector<T>>(x);
        var hv = MemoryMarshal.Cast<T, Vector<T>>(xhat[..n]);
        Vector<T> vm = new(m), vr = new(r), vg = new(gamma), vb = new(beta);
        if (affine)
        {
            var yv = MemoryMarshal.Cast<T, Vector<T>>(y[..n]);
            for (var i = 0; i < xv.Length; i++)
            {
                var h = (xv[i] - vm) * vr;
                hv[i] = h;
                yv[i] = (h * vg) + vb;
            }
        }
        else
        {
            for (var i = 0; i < xv.Length; i++)
            {
                hv[i] = (xv[i] - vm) * vr;
            }
        }

        for (var i = xv.Length * Vector<T>.Count; i < n; i++)
        {
            var h = (x[i] - m) * r;
            xhat[i] = h;
            if (affine)
            {
                y[i] = (h * gamma) + beta;
            }
        }
    }
}
