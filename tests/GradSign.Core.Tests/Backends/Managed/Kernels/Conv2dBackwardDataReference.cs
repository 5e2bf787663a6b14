using System.Numerics;
using GradSign.Backends.Managed.Kernels;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>Convolution backward with respect to the input: gradInput = Σ over outputs of weight·gradOutput (transposed convolution).</summary>
/// <remarks>The original naive scalar loop, kept as the test oracle for <see cref="Conv2dBackwardData"/>.</remarks>
internal static class Conv2dBackwardDataReference
{
    /// <summary>Computes ∂L/∂input for <paramref name="batch"/> samples from ∂L/∂output. With <paramref name="accumulate"/> the result is added.</summary>
    public static void Run<T>(in ConvGeometry g, int batch, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> weight, Span<T> gradInput, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!accumulate)
        {
            gradInput[..(batch * g.InputSize)].Clear();
        }

        int oh = g.OutHeight, ow = g.OutWidth, k = g.Kernel;
        for (var n = 0; n < batch; n++)
        {
            for (var o = 0; o < g.OutChannels; o++)
            {
                for (var y = 0; y < oh; y++)
                {
                    for (var x = 0; x < ow; x++)
                    {
                        var go = gradOutput[(n * g.OutputSize) + (((o * oh) + y) * ow) + x];
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
                                        gradInput[(n * g.InputSize) + (((c * g.Height) + iy) * g.Width) + ix] += weight[(((o * g.InChannels) + c) * k * k) + (i * k) + j] * go;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
