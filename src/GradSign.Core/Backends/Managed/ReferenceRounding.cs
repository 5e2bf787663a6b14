using GradSign.Backends.Managed.Kernels;

namespace GradSign.Backends.Managed;

/// <summary>
/// Where the managed backend rounds like the references (PyTorch 1.13 on the CPU with 2 threads, oneDNN 2.6, AVX-512)
/// instead of as accurately as it can. A float32 forward pass that reproduces the reference's activations bit for bit
/// also reproduces its decisions at max-pool near-ties and at ReLU thresholds, where one ulp routes a gradient to
/// another element and moves fisher, SNIP or jacob_cov by 1e-5 to 1e-3. That is possible for the batch passes: every
/// float32 convolution of a batch goes to oneDNN there, and its order and PyTorch's BatchNorm recipe are reproduced
/// (every convolution output of the NB101 fixtures' batch forward passes is then bit-identical). Elsewhere the
/// reference's order is not reproduced, and the accurate arithmetic is the better bet.
/// </summary>
/// <remarks>
/// <para>oneDNN is PyTorch's path for a float32 convolution whose input has more than one sample or more than 20480
/// elements (<c>ConvParams::use_mkldnn</c>; with more than one thread the 1×1 exception does not apply). Its AVX-512
/// direct convolution sums input channels in blocks of 16, each block's taps in (i, j, c) order, one FMA chain per
/// block, block sums added in order (<see cref="ConvSummation"/>); its 1×1 convolution is one chain in channel order up
/// to 256 input channels (deeper ones are split by a shape-dependent heuristic that is not reproduced).</para>
/// <para>Not reproduced: the single-sample calls of per-sample passes (GradSign), which PyTorch runs as im2col + BLAS
/// GEMM, whose kernel and its summation order depend on the BLAS build and the CPU it detects (the fixtures' OpenBLAS
/// ran its Haswell kernel, which alternates two accumulators in some tiles and not in others); and float64, whose
/// rounding is far below any tolerance. Those passes keep one chain in (c, i, j) order and the accurate BatchNorm.</para>
/// </remarks>
internal static class ReferenceRounding
{
    private const long OneDnnMinimumElements = 20480;
    private const int OneDnnChannelBlock = 16;

    /// <summary>The summation order of one convolution call over <paramref name="samples"/> samples in precision <typeparamref name="T"/>.</summary>
    public static ConvSummation Convolution<T>(in ConvGeometry g, int samples)
    {
        var oneDnn = typeof(T) == typeof(float) && (samples > 1 || (long)samples * g.InputSize > OneDnnMinimumElements);
        return oneDnn && g.Kernel > 1 ? new ConvSummation(OneDnnChannelBlock) : default;
    }

    /// <summary>Whether a BatchNorm uses PyTorch's rounding recipe (see <see cref="BatchNormForward"/>): float32 batch
    /// passes, whose convolutions are the reference's bit for bit.</summary>
    public static bool BatchNorm<T>(bool perSample) => typeof(T) == typeof(float) && !perSample;
}
