using System.Numerics;
using GradSign.Backends.Managed.Kernels;

namespace GradSign.Backends.Managed.Ops;

/// <summary>Per-channel sums of an NCHW tensor (bias gradients), accumulated in float64 over samples in order.</summary>
internal static class ChannelSums
{
    /// <summary>
    /// destination[c] (+)= Σ_n Σ_s x[n, c, s] over samples [<paramref name="firstSample"/>, +<paramref name="samples"/>).
    /// </summary>
    public static void Run<T>(ReadOnlySpan<T> x, int firstSample, int samples, int channels, int spatial, Span<T> destination, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var c = 0; c < channels; c++)
        {
            var sum = 0.0;
            for (var n = firstSample; n < firstSample + samples; n++)
            {
                sum += PackedSum.Sum(x.Slice(((n * channels) + c) * spatial, spatial));
            }

            destination[c] = accumulate ? destination[c] + T.CreateTruncating(sum) : T.CreateTruncating(sum);
        }
    }
}
