using System.Numerics;
using System.Numerics.Tensors;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>Reductions of one contiguous run accumulated in float64 (the run itself is summed vectorised in T).</summary>
internal static class PackedSum
{
    /// <summary>Σ x as float64.</summary>
    public static double Sum<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => double.CreateTruncating(TensorPrimitives.Sum(x));

    /// <summary>Σ x·y as float64.</summary>
    public static double Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        => double.CreateTruncating(TensorPrimitives.Dot(x, y));
}
