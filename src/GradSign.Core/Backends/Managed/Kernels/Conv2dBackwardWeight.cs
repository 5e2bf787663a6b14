using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>Convolution backward with respect to the weight, summed over the batch.</summary>
/// <remarks>
/// <para>∂L/∂W[o, (c,i,j)] is a dot product of the output-gradient row o with the B row of tap (c, i, j) (see
/// <see cref="ConvLayoutKind"/>), summed over samples. <see cref="DotKernel"/> computes 4×6 tiles of these dot products with
/// the reduction along the pixels, carrying its vector accumulators across the samples of a chunk.</para>
/// <para>Determinism: the batch is cut into equal contiguous chunks whose count depends on the batch and geometry alone
/// (enough that a chunk's operands are ≤ ~1 MiB, rounded up to a multiple of 4 so 2 or 4 threads get equal shares;
/// within a chunk, blocks of tiles take the samples in L2-sized passes, which changes no sum). Each chunk's sum is one
/// fixed-order reduction; chunk sums are then added in chunk order. Threads take whole chunks, or, with fewer chunks
/// than threads (batch = 1 per-sample gradients), ranges of output tiles — either way every element's arithmetic is
/// the same, so results are bit-identical for any thread count.</para>
/// <para>Convolutions with many channels on small images (32 channels at 16×16, 64 at 8×8) use
/// <see cref="Conv2dBackwardWeightTaps"/> instead, which avoids the per-element horizontal sums. 3×3 stride-1 pad-1
/// convolutions with channel counts in multiples of 16 use <see cref="Conv3x3WinogradWeight"/> (float32, AVX-512) unless
/// <see cref="ConvAlgorithm.Direct"/> is asked for.</para>
/// <para>Scalar equivalent: the reference loop in the test project (Conv2dBackwardWeightReference).</para>
/// </remarks>
internal static class Conv2dBackwardWeight
{
    private const int ChunkBytes = 1 << 20;
    private const int MaxChunk = 16;

    /// <summary>Operand bytes of the samples one pass over a block of tiles reads: small enough to stay in a 512 KiB L2
    /// (Zen 3) beside the block's accumulators, so that the block's other tiles re-read them from L2 rather than from L3.
    /// Passes only regroup the samples each accumulator sees, in the same order, so they do not change any result.</summary>
    private const int PassBytes = 256 << 10;

    /// <summary>Bytes of vector accumulators a block of tiles keeps on the stack (64 tiles on 256-bit registers, 32 on 512-bit).</summary>
    private const int BlockAccumulatorBytes = 48 << 10;

    /// <summary>Computes ∂L/∂weight = Σ_n Σ_{y,x} gradOutput[n,o,y,x]·input[n,c,…] for <paramref name="batch"/> samples.
    /// With <paramref name="accumulate"/> the result is added to <paramref name="gradWeight"/>.
    /// <c>maxDegreeOfParallelism</c> caps the threads (−1: all cores); results do not depend on it.</summary>
    public static unsafe void Run<T>(in ConvGeometry g, int batch, ReadOnlySpan<T> input, ReadOnlySpan<T> gradOutput, Span<T> gradWeight, bool accumulate = false, int maxDegreeOfParallelism = -1, ConvAlgorithm algorithm = ConvAlgorithm.Auto, KernelScratch? scratch = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        g.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ConvGeometry.RequireLength(input.Length, (long)batch * g.InputSize, nameof(input));
        ConvGeometry.RequireLength(gradOutput.Length, (long)batch * g.OutputSize, nameof(gradOutput));
        ConvGeometry.RequireLength(gradWeight.Length, g.WeightSize, nameof(gradWeight));
        if (batch == 0)
        {
            if (!accumulate)
            {
                gradWeight[..g.WeightSize].Clear();
            }

            return;
        }

        var layout = ConvLayout.For(g);
        var threads = KernelParallel.Threads(maxDegreeOfParallelism, (long)batch * g.WeightSize * g.OutHeight * g.OutWidth);
        fixed (T* inputPtr = input)
        fixed (T* gradOutputPtr = gradOutput)
        fixed (T* gradWeightPtr = gradWeight)
        {
            if (algorithm != ConvAlgorithm.Direct && Conv3x3WinogradWeight.Applies<T>(g, batch))
            {
                Conv3x3WinogradWeight.Run(g, batch, (float*)inputPtr, (float*)gradOutputPtr, (float*)gradWeightPtr, accumulate, threads, scratch);
                return;
            }

            SimdDispatch<T>.Run(new Arguments<T>(g, layout, batch, inputPtr, gradOutputPtr, gradWeightPtr, accumulate, threads, scratch));
        }
    }

    /// <summary>The arguments of the direct path, passed on to the register width <see cref="SimdDispatch{T}"/> picks.</summary>
    private readonly unsafe struct Arguments<T>(ConvGeometry g, ConvLayout layout, int batch, T* input, T* gradOutput, T* gradWeight, bool accumulate, int threads, KernelScratch? scratch) : ISimdJob<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run<TVec, TOps>()
            where TVec : unmanaged
            where TOps : ISimdOps<T, TVec>
            => Conv2dBackwardWeight.Run<T, TVec, TOps>(g, layout, batch, input, gradOutput, gradWeight, accumulate, threads, scratch);
    }

    /// <summary>Chunks for <paramref name="batch"/> samples of at most <paramref name="maxChunk"/> each, rounded up to a
    /// multiple of 4 (never more than the batch) so that thread shares are balanced; independent of the thread count.</summary>
    internal static int ChunkCount(int batch, int maxChunk)
    {
        var chunks = (batch + maxChunk - 1) / maxChunk;
        return chunks == 1 ? 1 : Math.Min(batch, (chunks + 3) / 4 * 4);
    }

    /// <summary>Largest samples per chunk: as many as keep a chunk's operands within <see cref="ChunkBytes"/>; depends on the geometry only.</summary>
    internal static int ChunkSize<T>(in ConvGeometry g, in ConvLayout layout)
        where T : unmanaged
        => (int)Math.Clamp(ChunkBytes / OperandBytesPerSample<T>(g, layout), 1, MaxChunk);

    /// <summary>Samples per pass over a block of tiles: as many as keep their operands within <see cref="PassBytes"/>.</summary>
    private static int SamplesPerPass<T>(in ConvGeometry g, in ConvLayout layout)
        where T : unmanaged
        => (int)Math.Clamp(PassBytes / OperandBytesPerSample<T>(g, layout), 1, MaxChunk);

    /// <summary>Bytes of one sample's A and B operands in <paramref name="layout"/>.</summary>
    private static unsafe long OperandBytesPerSample<T>(in ConvGeometry g, in ConvLayout layout)
        where T : unmanaged
    {
        long perSample = layout.Kind switch
        {
            ConvLayoutKind.Direct => (long)g.InputSize + g.OutputSize,
            ConvLayoutKind.Padded or ConvLayoutKind.Phased => layout.Workspace,
            _ => (long)layout.Workspace + g.OutputSize,
        };
        return perSample * sizeof(T);
    }

    private static unsafe void Run<T, TVec, TOps>(ConvGeometry g, ConvLayout layout, int batch, T* input, T* gradOutput, T* gradWeight, bool accumulate, int threads, KernelScratch? scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        if (Conv2dBackwardWeightTaps.Applies<T>(g))
        {
            Conv2dBackwardWeightTaps.Run<T, TVec, TOps>(g, batch, input, gradOutput, gradWeight, accumulate, threads, scratch);
            return;
        }

        var chunks = ChunkCount(batch, ChunkSize<T>(g, layout));
        var chunk = (batch + chunks - 1) / chunks; // the largest chunk
        var kDim = layout.KDim;
        var offsetsArray = KernelScratch.Rent<int>(scratch, kDim);
        var partials = chunks > 1 ? KernelScratch.Rent<T>(scratch, checked(chunks * g.WeightSize)) : null;
        try
        {
            layout.FillTapOffsets(offsetsArray);
            fixed (int* offsetsPtr = offsetsArray)
            fixed (T* partialsPtr = partials)
            {
                var job = new Job<T, TVec, TOps>(g, layout, chunks, batch, SamplesPerPass<T>(g, layout), (nint)input, (nint)gradOutput, (nint)offsetsPtr);
                var tiles = job.Tiles;
                nint gw = (nint)gradWeight, parts0 = (nint)partialsPtr;
                T* Destination(int j) => chunks == 1 ? (T*)gw : (T*)parts0 + ((long)j * g.WeightSize);
                var chunkWorkspace = checked(layout.Workspace * chunk);
                if (chunks >= threads)
                {
                    KernelParallel.ForRanges(chunks, threads, (start, end) =>
                    {
                        var ws = chunkWorkspace > 0 ? KernelScratch.Rent<T>(scratch, chunkWorkspace) : null;
                        try
                        {
                            fixed (T* wsPtr = ws)
                            {
                                for (var j = start; j < end; j++)
                                {
                                    var operands = job.Prepare(j, wsPtr);
                                    job.ComputeTiles(operands, 0, tiles, Destination(j), chunks == 1 && accumulate);
                                }
                            }
                        }
                        finally
                        {
                            if (ws is not null)
                            {
                                KernelScratch.Return(scratch, ws);
                            }
                        }
                    });
                }
                else
                {
                    var ws = chunkWorkspace > 0 ? KernelScratch.Rent<T>(scratch, chunkWorkspace) : null;
                    try
                    {
                        fixed (T* wsPtr = ws)
                        {
                            var parts = Math.Min(threads, tiles);
                            for (var j = 0; j < chunks; j++)
                            {
                                var operands = job.Prepare(j, wsPtr);
                                var dst = (nint)Destination(j);
                                var acc = chunks == 1 && accumulate;
                                KernelParallel.For(parts, part =>
                                {
                                    var (start, end) = KernelParallel.Range(tiles, parts, part);
                                    job.ComputeTiles(operands, start, end, (T*)dst, acc);
                                });
                            }
                        }
                    }
                    finally
                    {
                        if (ws is not null)
                        {
                            KernelScratch.Return(scratch, ws);
                        }
                    }
                }

                if (chunks > 1)
                {
                    // Fixed-order combination: gW = (accumulate ? gW : 0) + P0 + P1 + … .
                    var result = new Span<T>(gradWeight, g.WeightSize);
                    for (var j = 0; j < chunks; j++)
                    {
                        var partial = new ReadOnlySpan<T>(partialsPtr + ((long)j * g.WeightSize), g.WeightSize);
                        if (j == 0 && !accumulate)
                        {
                            partial.CopyTo(result);
                        }
                        else
                        {
                            TensorPrimitives.Add(result, partial, result);
                        }
                    }
                }
            }
        }
        finally
        {
            KernelScratch.Return(scratch, offsetsArray);
            if (partials is not null)
            {
                KernelScratch.Return(scratch, partials);
            }
        }
    }

    /// <summary>Operand bases of one chunk: A (output gradients) and B (taps), with their per-sample strides.</summary>
    private readonly record struct Operands(nint A, long StrideA, int RowStrideA, nint B, long StrideB, int Samples);

    private readonly unsafe struct Job<T, TVec, TOps>(ConvGeometry g, ConvLayout layout, int chunks, int batch, int samplesPerPass, nint input, nint gradOutput, nint offsets)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        private int ColumnTiles => (layout.KDim + DotKernel.RowsB - 1) / DotKernel.RowsB;

        public int Tiles => ((g.OutChannels + DotKernel.RowsA - 1) / DotKernel.RowsA) * ColumnTiles;

        /// <summary>Writes the chunk's operands into ws where the layout needs copies, and returns their bases.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip tier-0
        public Operands Prepare(int j, T* ws)
        {
            var first = (int)((long)batch * j / chunks);
            var samples = (int)((long)batch * (j + 1) / chunks) - first;
            var pixels = g.OutHeight * g.OutWidth;
            var go = (T*)gradOutput + ((long)first * g.OutputSize);
            var x = (T*)input + ((long)first * g.InputSize);
            switch (layout.Kind)
            {
                case ConvLayoutKind.Direct:
                    return new((nint)go, g.OutputSize, pixels, (nint)x, g.InputSize, samples);
                case ConvLayoutKind.Padded:
                case ConvLayoutKind.Phased:
                    for (var m = 0; m < samples; m++)
                    {
                        var slot = ws + ((long)m * layout.Workspace);
                        if (layout.Kind == ConvLayoutKind.Padded)
                        {
                            ConvPacking.PadImage(x + ((long)m * g.InputSize), g.InChannels, g.Height, g.Width, g.Padding, slot);
                        }
                        else
                        {
                            ConvPacking.PhaseImage(x + ((long)m * g.InputSize), g.InChannels, g.Height, g.Width, g.Padding, g.Stride, layout.PaddedHeight, layout.PaddedWidth, slot);
                        }

                        ConvPacking.WidenRows(go + ((long)m * g.OutputSize), g.OutChannels * g.OutHeight, g.OutWidth, layout.PaddedWidth, slot + layout.PaddedImageSize);
                    }

                    return new((nint)(ws + layout.PaddedImageSize), layout.Workspace, layout.Ldc, (nint)ws, layout.Workspace, samples);
                default:
                    for (var m = 0; m < samples; m++)
                    {
                        ConvPacking.Im2Col(g, x + ((long)m * g.InputSize), ws + ((long)m * layout.Workspace));
                    }

                    return new((nint)go, g.OutputSize, pixels, (nint)ws, layout.Workspace, samples);
            }
        }

        /// <summary>Tiles [start, end) (row-tile major) of the chunk's weight gradient, written (or added) to dst.</summary>
        /// <remarks>Blocks of tiles walk the chunk's samples in passes of <c>samplesPerPass</c>, every tile of the block per
        /// pass, so that a pass's operands are read from memory once and then from L2 by the block's other tiles (one tile
        /// over the whole chunk at a time streamed the chunk's ~1 MiB through L2 once per tile). Each tile's accumulators
        /// see the same samples in the same order either way.</remarks>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip tier-0
        public void ComputeTiles(Operands operands, int start, int end, T* dst, bool accumulate)
        {
            int cout = g.OutChannels, kDim = layout.KDim, columnTiles = ColumnTiles, length = layout.Columns;
            var block = Math.Min(end - start, BlockAccumulatorBytes / (DotKernel.Accumulators * sizeof(TVec)));
            var acc = stackalloc TVec[block * DotKernel.Accumulators];
            var aOffsets = stackalloc int[block * DotKernel.RowsA];
            var bOffsets = stackalloc int[block * DotKernel.RowsB];
            var result = stackalloc T[DotKernel.Accumulators];
            var taps = (int*)offsets;
            for (var t0 = start; t0 < end; t0 += block)
            {
                var count = Math.Min(block, end - t0);
                new Span<TVec>(acc, count * DotKernel.Accumulators).Clear();
                for (var i = 0; i < count; i++)
                {
                    var t = t0 + i;
                    var o0 = t / columnTiles * DotKernel.RowsA;
                    var k0 = t % columnTiles * DotKernel.RowsB;

                    // Edge tiles repeat the last valid row/tap; the duplicates are computed and not stored.
                    for (var r = 0; r < DotKernel.RowsA; r++)
                    {
                        aOffsets[(i * DotKernel.RowsA) + r] = Math.Min(o0 + r, cout - 1) * operands.RowStrideA;
                    }

                    for (var s = 0; s < DotKernel.RowsB; s++)
                    {
                        bOffsets[(i * DotKernel.RowsB) + s] = taps[Math.Min(k0 + s, kDim - 1)];
                    }
                }

                for (var n = 0; n < operands.Samples; n += samplesPerPass)
                {
                    var samples = Math.Min(samplesPerPass, operands.Samples - n);
                    var a = (T*)operands.A + (n * operands.StrideA);
                    var b = (T*)operands.B + (n * operands.StrideB);
                    for (var i = 0; i < count; i++)
                    {
                        DotKernel.Accumulate<T, TVec, TOps>(a, operands.StrideA, aOffsets + (i * DotKernel.RowsA), b, operands.StrideB, bOffsets + (i * DotKernel.RowsB),
                            samples, length, acc + (i * DotKernel.Accumulators));
                    }
                }

                for (var i = 0; i < count; i++)
                {
                    var t = t0 + i;
                    var o0 = t / columnTiles * DotKernel.RowsA;
                    var k0 = t % columnTiles * DotKernel.RowsB;
                    DotKernel.Reduce<T, TVec, TOps>(length, acc + (i * DotKernel.Accumulators), result);
                    var rows = Math.Min(DotKernel.RowsA, cout - o0);
                    var cols = Math.Min(DotKernel.RowsB, kDim - k0);
                    for (var r = 0; r < rows; r++)
                    {
                        var line = dst + ((long)(o0 + r) * kDim) + k0;
                        for (var s = 0; s < cols; s++)
                        {
                            line[s] = accumulate ? line[s] + result[(s * DotKernel.RowsA) + r] : result[(s * DotKernel.RowsA) + r];
                        }
                    }
                }
            }
        }
    }
}
