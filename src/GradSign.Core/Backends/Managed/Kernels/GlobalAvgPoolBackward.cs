using System.Numerics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>Global average pooling backward: every element of plane p receives <c>dy[p] / S</c>.</summary>
internal static class GlobalAvgPoolBackward
{
    /// <summary>Spreads <paramref name="planes"/> gradients over planes of <paramref name="spatial"/> elements.</summary>
    public static void Run<T>(ReadOnlySpan<T> gradOutput, Span<T> gradInput, int planes, int spatial, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = T.CreateTruncating(spatial);
        for (var p = 0; p < planes; p++)
        {
            var d = gradInput.Slice(p * spatial, spatial);
            var v = gradOutput[p] / s;
            if (accumulate)
            {
                ScaleShift.Run<T>(d, T.One, v, d);
            }
            else
            {
                d.Fill(v);
            }
        }
    }
}
