using System.Numerics;
using System.Numerics.Tensors;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>ReLU: <c>y = max(x, 0)</c> (NaN propagates, as PyTorch's clamp).</summary>
internal static class ReluForward
{
    /// <summary>Applies ReLU element-wise.</summary>
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        => TensorPrimitives.Max(x, T.Zero, y);
}
