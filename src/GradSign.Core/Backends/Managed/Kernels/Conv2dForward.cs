using System.Numerics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>Convolution forward: output[n,o,y,x] = bias[o] + Σ_{c,i,j} weight[o,c,i,j]·input[n,c,y·s+i−p,x·s+j−p].</summary>
/// <remarks>
/// Implemented as one GEMM per sample (<see cref="ConvForwardCore"/>): the weight [Cout][Cin·K·K] is packed into 8-row
/// panels and multiplied by the implicit (stride 1) or explicit (other strides) im2col matrix with the
/// <see cref="PanelKernel"/> micro-kernel. Samples are split across threads; a batch smaller than the thread count splits
/// each sample's output columns instead. Every output element is one fixed-order sum, so results are bit-identical
/// for any thread count. Scalar equivalent: the reference loop in the test project (Conv2dForwardReference).
/// <para>Summation order: by default one FMA chain per output element over the taps in (c, i, j) order; a
/// <see cref="ConvSummation"/> can instead take the taps in channel-block order and split them into depth blocks whose
/// sums are added to the bias in order (oneDNN's order, see <see cref="ReferenceRounding"/>). That is
/// done by reordering the weight's columns and the tap table, and one GEMM pass per depth block.</para>
/// <para>With <see cref="ConvAlgorithm.Winograd"/>, 3×3 stride-1 pad-1 convolutions with channel counts in multiples of
/// 16 run on <see cref="Conv3x3Winograd"/> instead (float32, AVX-512; <c>summation</c> is then ignored): about 1.5×
/// faster, with different rounding. Only tangent passes ask for it: a value pass decides ReLU masks and NASWOT codes
/// and keeps the reference summation order.</para>
/// </remarks>
internal static class Conv2dForward
{
    /// <summary>Runs the convolution for <paramref name="batch"/> samples (NCHW). An empty <paramref name="bias"/> means no bias.
    /// With <paramref name="accumulate"/> the result is added to <paramref name="output"/>.
    /// <c>maxDegreeOfParallelism</c> caps the threads (−1: all cores); results do not depend on it. <c>summation</c>
    /// selects the summation order (default: one chain in (c, i, j) order); <c>algorithm</c> = Winograd takes
    /// <see cref="Conv3x3Winograd"/> where it applies.</summary>
    public static unsafe void Run<T>(in ConvGeometry g, int batch, ReadOnlySpan<T> input, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> output, bool accumulate = false, int maxDegreeOfParallelism = -1, ConvSummation summation = default, ConvAlgorithm algorithm = ConvAlgorithm.Auto, KernelScratch? scratch = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        g.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ConvGeometry.RequireLength(input.Length, (long)batch * g.InputSize, nameof(input));
        ConvGeometry.RequireLength(weight.Length, g.WeightSize, nameof(weight));
        ConvGeometry.RequireLength(output.Length, (long)batch * g.OutputSize, nameof(output));
        if (!bias.IsEmpty)
        {
            ConvGeometry.RequireLength(bias.Length, g.OutChannels, nameof(bias));
        }

        if (batch == 0)
        {
            return;
        }

        var kDim = g.InChannels * g.Kernel * g.Kernel;
        if (algorithm == ConvAlgorithm.Winograd && Conv3x3Winograd.Applies<T>(g))
        {
            fixed (T* inputPtr = input)
            fixed (T* weightPtr = weight)
            fixed (T* biasPtr = bias)
            fixed (T* outputPtr = output)
            {
                var threads = KernelParallel.Threads(maxDegreeOfParallelism, (long)batch * g.OutputSize * kDim);
                Conv3x3Winograd.Run(g, batch, (float*)inputPtr, (float*)weightPtr, false, bias.IsEmpty ? null : (float*)biasPtr, (float*)outputPtr, accumulate, threads, scratch);
            }

            return;
        }

        var packed = KernelScratch.Rent<T>(scratch, ConvPacking.PanelSize(g.OutChannels, kDim));
        var reordered = summation.ReordersTaps(g.Kernel) ? KernelScratch.Rent<T>(scratch, g.WeightSize) : null;
        try
        {
            if (reordered is not null)
            {
                ReorderTaps(g, summation.ChannelBlock, weight, reordered);
                weight = reordered;
            }

            fixed (T* inputPtr = input)
            fixed (T* weightPtr = weight)
            fixed (T* biasPtr = bias)
            fixed (T* outputPtr = output)
            fixed (T* packedPtr = packed)
            {
                ConvPacking.PackRowPanels(weightPtr, g.OutChannels, kDim, kDim, 1, packedPtr);
                var threads = KernelParallel.Threads(maxDegreeOfParallelism, (long)batch * g.OutputSize * kDim);
                ConvForwardCore.Run(g, batch, inputPtr, packedPtr, bias.IsEmpty ? null : biasPtr, outputPtr, accumulate, threads, summation, scratch);
            }
        }
        finally
        {
            KernelScratch.Return(scratch, packed);
            if (reordered is not null)
            {
                KernelScratch.Return(scratch, reordered);
            }
        }
    }

    /// <summary>
    /// Copies the weight [Cout][(c, i, j)] with its columns in channel-block order: block by block of
    /// <paramref name="channelBlock"/> input channels, then (i, j), then c within the block (see
    /// <see cref="ConvLayout.BlockTapOrder"/>, which orders the tap table the same way).
    /// </summary>
    private static void ReorderTaps<T>(in ConvGeometry g, int channelBlock, ReadOnlySpan<T> weight, Span<T> destination)
    {
        var kDim = g.InChannels * g.Kernel * g.Kernel;
        Span<int> order = kDim <= 4096 ? stackalloc int[kDim] : new int[kDim];
        ConvLayout.BlockTapOrder(g.InChannels, g.Kernel, channelBlock, order);
        for (var o = 0; o < g.OutChannels; o++)
        {
            var from = weight.Slice(o * kDim, kDim);
            var to = destination.Slice(o * kDim, kDim);
            for (var t = 0; t < kDim; t++)
            {
                to[t] = from[order[t]];
            }
        }
    }
}
