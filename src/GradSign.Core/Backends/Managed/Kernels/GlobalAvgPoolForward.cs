using System.Numerics;
using System.Numerics.Tensors;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>Global average pooling: <c>y[p] = Σ x[p, ·] / S</c> for every plane p = (n, c).</summary>
internal static class GlobalAvgPoolForward
{
    /// <summary>Averages <paramref name="planes"/> planes of <paramref name="spatial"/> elements.</summary>
    public static void Run<T>(ReadOnlySpan<T> input, Span<T> output, int planes, int spatial)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = T.CreateTruncating(spatial);
        for (var p = 0; p < planes; p++)
        {
            output[p] = TensorPrimitives.Sum(input.Slice(p * spatial, spatial)) / s;
        }
    }
}
