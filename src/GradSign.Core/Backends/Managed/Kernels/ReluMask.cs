using System.Numerics;
using System.Runtime.InteropServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// ReLU's Jacobian applied to a vector: <c>destination[i] (+)= x[i] &gt; 0 ? g[i] : 0</c>. Used for the backward pass
/// (g = ∂L/∂y), the tangent forward pass (g = ẋ) and the backward tangent (g = the adjoint's tangent); the derivative at
/// 0 is 0, as in PyTorch.
/// </summary>
internal static class ReluMask
{
    /// <summary>Masks <paramref name="g"/> by <c>x &gt; 0</c>.</summary>
    /// <remarks>Lanes: Vector&lt;T&gt; chunks; the mask is a lane-wise compare, selected with ConditionalSelect. Scalar tail identical.</remarks>
    public static void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> destination, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var n = x.Length;
        var xv = MemoryMarshal.Cast<T, Vector<T>>(x);
        var gv = MemoryMarshal.Cast<T, Vector<T>>(g[..n]);
        var dv = MemoryMarshal.Cast<T, Vector<T>>(destination[..n]);
        for (var i = 0; i < xv.Length; i++)
        {
            var s = Vector.ConditionalSelect(Vector.GreaterThan(xv[i], Vector<T>.Zero), gv[i], Vector<T>.Zero);
            dv[i] = accumulate ? dv[i] + s : s;
        }

        for (var i = xv.Length * Vector<T>.Count; i < n; i++)
        {
            var s = x[i] > T.Zero ? g[i] : T.Zero;
            destination[i] = accumulate ? destination[i] + s : s;
        }
    }
}
