using System.Numerics;
using GradSign.Backends.Managed.Kernels;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>Convolution backward with respect to the weight, summed over the batch.</summary>
/// <remarks>The original naive scalar loop, kept as the test oracle for <see cref="Conv2dBackwardWeight"/>.</remarks>
internal static class Conv2dBackwardWeightReference
{
    /// <summary>Computes ∂L/∂weight = Σ_n Σ_{y,x} gradOutput[n,o,y,x]·input[n,c,…] for <paramref name="batch"/> samples.
    /// With <paramref name="accumulate"/> the result is added to <paramref name="gradWeight"/>.</summary>
    public static void Run<T>(in ConvGeometry g, int batch, ReadOnlySpan<T> input, ReadOnlySpan<T> gradOutput, Span<T> gradWeight, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!accumulate)
        {
            gradWeight[..g.WeightSize].Clear();
        }

        int oh = g.OutHeight, ow = g.OutWidth, k = g.Kernel;
        for (var n = 0; n < batch; n++)
        {
            for (var o = 0; o < g.OutChannels; o++)
            {
                for (var c = 0; c < g.InChannels; c++)
                {
                    for (var i = 0; i < k; i++)
                    {
                        for (var j = 0; j < k; j++)
                        {
                            var sum = T.Zero;
                            for (var y = 0; y < oh; y++)
                            {
                                var iy = (y * g.Stride) + i - g.Padding;
                                if ((uint)iy >= (uint)g.Height)
                                {
                                    continue;
                                }

                                for (var x = 0; x < ow; x++)
                                {
                                    var ix = (x * g.Stride) + j - g.Padding;
                                    if ((uint)ix < (uint)g.Width)
                                    {
                                        sum += gradOutput[(n * g.OutputSize) + (((o * oh) + y) * ow) + x] * input[(n * g.InputSize) + (((c * g.Height) + iy) * g.Width) + ix];
                                    }
                                }
                            }

                            gradWeight[(((o * g.InChannels) + c) * k * k) + (i * k) + j] += sum;
                        }
                    }
                }
            }
        }
    }
}
