using System.Numerics;
using GradSign.Backends.Managed.Kernels;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>Convolution forward: output[n,o,y,x] = bias[o] + Σ_{c,i,j} weight[o,c,i,j]·input[n,c,y·s+i−p,x·s+j−p].</summary>
/// <remarks>The original naive scalar loop, kept as the test oracle for <see cref="Conv2dForward"/>.</remarks>
internal static class Conv2dForwardReference
{
    /// <summary>Runs the convolution for <paramref name="batch"/> samples (NCHW). An empty <paramref name="bias"/> means no bias.
    /// With <paramref name="accumulate"/> the result is added to <paramref name="output"/>.</summary>
    public static void Run<T>(in ConvGeometry g, int batch, ReadOnlySpan<T> input, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> output, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OutHeight, ow = g.OutWidth, k = g.Kernel;
        for (var n = 0; n < batch; n++)
        {
            for (var o = 0; o < g.OutChannels; o++)
            {
                for (var y = 0; y < oh; y++)
                {
                    for (var x = 0; x < ow; x++)
                    {
                        var sum = bias.IsEmpty ? T.Zero : bias[o];
                        for (var c = 0; c < g.InChannels; c++)
                        {
                            for (var i = 0; i < k; i++)
                            {
                                var iy = (y * g.Stride) + i - g.Padding;
                                if ((uint)iy >= (uint)g.Height)
                                {
                                    continue;
                                }

                                for (var j = 0; j < k; j++)
                                {
                                    var ix = (x * g.Stride) + j - g.Padding;
                                    if ((uint)ix < (uint)g.Width)
                                    {
                                        sum += weight[(((o * g.InChannels) + c) * k * k) + (i * k) + j] * input[(n * g.InputSize) + (((c * g.Height) + iy) * g.Width) + ix];
                                    }
                                }
                            }
                        }

                        var at = (n * g.OutputSize) + (((o * oh) + y) * ow) + x;
                        output[at] = accumulate ? output[at] + sum : sum;
                    }
                }
            }
        }
    }
}
