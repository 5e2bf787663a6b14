using System.Numerics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>Convolution backward with respect to the input: gradInput = Σ over outputs of weight·gradOutput (transposed convolution).</summary>
/// <remarks>
/// <para>Stride 1 with padding p ≤ K−1 (every NAS-Bench-201 case but the stride-2 reduction convolutions): the transposed
/// convolution is itself a stride-1 convolution of gradOutput, padded by K−1−p, with the weight transposed over
/// channels and flipped spatially, <c>W'[c, o, i, j] = W[o, c, K−1−i, K−1−j]</c>. It runs on the forward machinery
/// (<see cref="ConvForwardCore"/>), so it gets the same implicit-im2col GEMM speed, or, for 3×3 with 16-multiple
/// channel counts, <see cref="Conv3x3Winograd"/>.</para>
/// <para>Otherwise, per sample: <c>col = Wᵀ · gradOutput</c> ([Cin·K·K][OH·OW], the <see cref="PanelKernel"/> GEMM) and then
/// col2im scatter-adds col into gradInput in a fixed order.</para>
/// <para>Scalar equivalent: the reference loop in the test project (Conv2dBackwardDataReference).</para>
/// </remarks>
internal static class Conv2dBackwardData
{
    /// <summary>Computes ∂L/∂input for <paramref name="batch"/> samples from ∂L/∂output. With <paramref name="accumulate"/> the result is added.
    /// <c>maxDegreeOfParallelism</c> caps the threads (−1: all cores); results do not depend on it.</summary>
    public static unsafe void Run<T>(in ConvGeometry g, int batch, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> weight, Span<T> gradInput, bool accumulate = false, int maxDegreeOfParallelism = -1, ConvAlgorithm algorithm = ConvAlgorithm.Auto, KernelScratch? scratch = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        g.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ConvGeometry.RequireLength(gradOutput.Length, (long)batch * g.OutputSize, nameof(gradOutput));
        ConvGeometry.RequireLength(weight.Length, g.WeightSize, nameof(weight));
        ConvGeometry.RequireLength(gradInput.Length, (long)batch * g.InputSize, nameof(gradInput));
        if (batch == 0)
        {
            return;
        }

        var kDim = g.OutChannels * g.Kernel * g.Kernel;
        var threads = KernelParallel.Threads(maxDegreeOfParallelism, (long)batch * g.InputSize * kDim);
        fixed (T* gradOutputPtr = gradOutput)
        fixed (T* weightPtr = weight)
        fixed (T* gradInputPtr = gradInput)
        {
            if (g.Stride == 1 && g.Padding <= g.Kernel - 1)
            {
                var transposed = new ConvGeometry(g.OutChannels, g.OutHeight, g.OutWidth, g.InChannels, g.Kernel, 1, g.Kernel - 1 - g.Padding);
                if (algorithm == ConvAlgorithm.Auto && Conv3x3Winograd.Applies<T>(transposed))
                {
                    Conv3x3Winograd.Run(transposed, batch, (float*)gradOutputPtr, (float*)weightPtr, true, null, (float*)gradInputPtr, accumulate, threads, scratch);
                    return;
                }

                var packed = KernelScratch.Rent<T>(scratch, ConvPacking.PanelSize(g.InChannels, kDim));
                try
                {
                    fixed (T* packedPtr = packed)
                    {
                        ConvPacking.PackFlippedTransposed(weightPtr, g.OutChannels, g.InChannels, g.Kernel, packedPtr);
                        ConvForwardCore.Run(transposed, batch, gradOutputPtr, packedPtr, null, gradInputPtr, accumulate, threads, scratch: scratch);
                    }
                }
                finally
                {
                    KernelScratch.Return(scratch, packed);
                }

                return;
            }

            SimdDispatch<T>.Run(new GeneralArguments<T>(g, batch, gradOutputPtr, weightPtr, gradInputPtr, accumulate, threads, scratch));
        }
    }

    /// <summary>The arguments of the general (GEMM + col2im) path, passed on to the register width <see cref="SimdDispatch{T}"/> picks.</summary>
    private readonly unsafe struct GeneralArguments<T>(ConvGeometry g, int batch, T* gradOutput, T* weight, T* gradInput, bool accumulate, int threads, KernelScratch? scratch) : ISimdJob<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run<TVec, TOps>()
            where TVec : unmanaged
            where TOps : ISimdOps<T, TVec>
            => Conv2dBackwardData.General<T, TVec, TOps>(g, batch, gradOutput, weight, gradInput, accumulate, threads, scratch);
    }

    /// <summary>col = Wᵀ·gradOutput per sample, then col2im. Whole samples per thread, or split columns when batch &lt; threads.</summary>
    private static unsafe void General<T, TVec, TOps>(ConvGeometry g, int batch, T* gradOutput, T* weight, T* gradInput, bool accumulate, int threads, KernelScratch? scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        int rows = g.InChannels * g.Kernel * g.Kernel, cout = g.OutChannels, pixels = g.OutHeight * g.OutWidth;
        var colSize = checked(rows * pixels);
        var packed = KernelScratch.Rent<T>(scratch, ConvPacking.PanelSize(rows, cout));
        var offsets = KernelScratch.Rent<int>(scratch, cout);
        try
        {
            for (var o = 0; o < cout; o++)
            {
                offsets[o] = o * pixels;
            }

            fixed (T* packedPtr = packed)
            fixed (int* offsetsPtr = offsets)
            {
                // A = Wᵀ: element (row = (c,i,j), kk = o) sits at weight[o·rows + row].
                ConvPacking.PackRowPanels(weight, rows, cout, 1, rows, packedPtr);
                nint a = (nint)packedPtr, off = (nint)offsetsPtr, go = (nint)gradOutput, gi = (nint)gradInput;

                void Gemm(int n, T* col, int start, int end)
                {
                    var b = (T*)go + ((long)n * g.OutputSize);
                    for (var r = 0; r < rows; r += PanelKernel.Rows)
                    {
                        PanelKernel.RowPanel<T, TVec, TOps>((T*)a + ((long)r * cout), b + start, (int*)off, cout,
                            col + ((long)r * pixels) + start, pixels, Math.Min(PanelKernel.Rows, rows - r), end - start, false);
                    }
                }

                void Scatter(int n, T* col)
                {
                    var dst = (T*)gi + ((long)n * g.InputSize);
                    if (!accumulate)
                    {
                        new Span<T>(dst, g.InputSize).Clear();
                    }

                    ConvPacking.Col2ImAdd(g, col, dst);
                }

                if (batch >= threads)
                {
                    KernelParallel.ForRanges(batch, threads, (start, end) =>
                    {
                        var col = KernelScratch.Rent<T>(scratch, colSize);
                        try
                        {
                            fixed (T* colPtr = col)
                            {
                                for (var n = start; n < end; n++)
                                {
                                    Gemm(n, colPtr, 0, pixels);
                                    Scatter(n, colPtr);
                                }
                            }
                        }
                        finally
                        {
                            KernelScratch.Return(scratch, col);
                        }
                    });
                    return;
                }

                var shared = KernelScratch.Rent<T>(scratch, colSize);
                try
                {
                    fixed (T* colPtr = shared)
                    {
                        var colAddress = (nint)colPtr;
                        var granule = 3 * TOps.Count;
                        var parts = Math.Max(1, Math.Min(threads, pixels / granule));
                        for (var n = 0; n < batch; n++)
                        {
                            var sample = n;
                            KernelParallel.For(parts, part =>
                            {
                                var (start, end) = KernelParallel.Range(pixels, parts, part, granule);
                                Gemm(sample, (T*)colAddress, start, end);
                            });
                            Scatter(n, colPtr);
                        }
                    }
                }
                finally
                {
                    KernelScratch.Return(scratch, shared);
                }
            }
        }
        finally
        {
            KernelScratch.Return(scratch, packed);
            KernelScratch.Return(scratch, offsets);
        }
    }
}
