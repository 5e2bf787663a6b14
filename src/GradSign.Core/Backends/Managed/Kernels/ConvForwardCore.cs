using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// A convolution as a GEMM per sample, <c>out[o, pixel] = Σ_(c,i,j) A[o, (c,i,j)] · B[(c,i,j), pixel]</c>, with A already packed
/// into 8-row panels (the weight for <see cref="Conv2dForward"/>, the flipped transposed weight for stride-1
/// <see cref="Conv2dBackwardData"/>). B is never materialised for stride-1 convolutions (see <see cref="ConvLayout"/>).
/// </summary>
/// <remarks>With a <see cref="ConvSummation"/> that reorders taps, the packed A's columns are in channel-block order
/// (<see cref="ConvLayout.BlockTapOrder"/>) and the tap table is reordered here to match. With depth blocks, each block
/// is one GEMM pass that adds its own fresh sum to C, C first being set to the bias (when there is one and nothing is
/// accumulated): <c>C = ((bias + P₀) + P₁) + …</c>.</remarks>
internal static unsafe class ConvForwardCore
{
    /// <summary>Runs on the widest accelerated registers (<see cref="SimdDispatch{T}"/>).
    /// <paramref name="summation"/>: the order the packed A was prepared for (see the class remarks).</summary>
    public static void Run<T>(in ConvGeometry g, int batch, T* input, T* packedA, T* bias, T* output, bool accumulate, int threads, ConvSummation summation = default, KernelScratch? scratch = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        => SimdDispatch<T>.Run(new Arguments<T>(g, batch, input, packedA, bias, output, accumulate, threads, summation, scratch));

    /// <summary>The arguments of <see cref="Run{T}(in ConvGeometry, int, T*, T*, T*, T*, bool, int, ConvSummation, KernelScratch?)"/>, passed on to
    /// the register width <see cref="SimdDispatch{T}"/> picks.</summary>
    private readonly struct Arguments<T>(ConvGeometry g, int batch, T* input, T* packedA, T* bias, T* output, bool accumulate, int threads, ConvSummation summation, KernelScratch? scratch) : ISimdJob<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run<TVec, TOps>()
            where TVec : unmanaged
            where TOps : ISimdOps<T, TVec>
            => ConvForwardCore.Run<T, TVec, TOps>(g, batch, input, packedA, bias, output, accumulate, threads, summation, scratch);
    }

    private static void Run<T, TVec, TOps>(ConvGeometry g, int batch, T* input, T* packedA, T* bias, T* output, bool accumulate, int threads, ConvSummation summation, KernelScratch? scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var layout = ConvLayout.ForForward(g);
        var kDim = layout.KDim;
        var offsetsArray = KernelScratch.Rent<int>(scratch, kDim);
        try
        {
            layout.FillTapOffsets(offsetsArray);
            if (summation.ReordersTaps(g.Kernel))
            {
                ReorderOffsets(g, summation.ChannelBlock, offsetsArray.AsSpan(0, kDim), scratch);
            }

            var blockEnds = summation.BlockEnds(g.InChannels, g.Kernel) ?? [];
            fixed (int* offsetsPtr = offsetsArray)
            fixed (int* endsPtr = blockEnds)
            {
                var job = new Job<T, TVec, TOps>(g, layout, (nint)input, (nint)packedA, (nint)bias, (nint)output, (nint)offsetsPtr, accumulate, (nint)endsPtr, blockEnds.Length);
                if (batch >= threads)
                {
                    // Ranges of whole samples: pad/im2col, GEMM and write-back of a sample stay in one core's cache.
                    KernelParallel.ForRanges(batch, threads, (start, end) =>
                    {
                        var ws = job.Workspace > 0 ? KernelScratch.Rent<T>(scratch, job.Workspace) : null;
                        try
                        {
                            fixed (T* wsPtr = ws)
                            {
                                for (var n = start; n < end; n++)
                                {
                                    var b = job.Prepare(n, wsPtr);
                                    job.Compute(n, b, wsPtr, 0, job.Columns);
                                    job.Finish(n, wsPtr);
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
                    // Fewer samples than threads (per-sample calls): split each sample's columns.
                    var ws = job.Workspace > 0 ? KernelScratch.Rent<T>(scratch, job.Workspace) : null;
                    try
                    {
                        fixed (T* wsPtr = ws)
                        {
                            var wsAddress = (nint)wsPtr;
                            var granule = 3 * TOps.Count;
                            var parts = Math.Max(1, Math.Min(threads, job.Columns / granule));
                            for (var n = 0; n < batch; n++)
                            {
                                var b = (nint)job.Prepare(n, wsPtr);
                                var sample = n;
                                KernelParallel.For(parts, part =>
                                {
                                    var (start, end) = KernelParallel.Range(job.Columns, parts, part, granule);
                                    job.Compute(sample, (T*)b, (T*)wsAddress, start, end);
                                });
                                job.Finish(n, wsPtr);
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
            }
        }
        finally
        {
            KernelScratch.Return(scratch, offsetsArray);
        }
    }

    /// <summary>Puts the tap table in channel-block order (<see cref="ConvLayout.BlockTapOrder"/>), matching the packed A.</summary>
    private static void ReorderOffsets(in ConvGeometry g, int channelBlock, Span<int> offsets, KernelScratch? scratch)
    {
        var kDim = offsets.Length;
        var order = KernelScratch.Rent<int>(scratch, kDim);
        var copy = KernelScratch.Rent<int>(scratch, kDim);
        try
        {
            ConvLayout.BlockTapOrder(g.InChannels, g.Kernel, channelBlock, order);
            offsets.CopyTo(copy);
            for (var t = 0; t < kDim; t++)
            {
                offsets[t] = copy[order[t]];
            }
        }
        finally
        {
            KernelScratch.Return(scratch, order);
            KernelScratch.Return(scratch, copy);
        }
    }

    /// <summary>Per-call state shared (read-only) by the worker threads; pointers are pinned by the caller.
    /// <paramref name="blockEnds"/>: exclusive ends of the depth blocks (<paramref name="blocks"/> of them; none = one pass).</summary>
    private readonly struct Job<T, TVec, TOps>(ConvGeometry g, ConvLayout layout, nint input, nint packedA, nint bias, nint output, nint offsets, bool accumulate, nint blockEnds, int blocks)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        /// <summary>Block order with a bias and nothing to accumulate onto: C starts at the bias (oneDNN adds the block
        /// sums to it), so <see cref="Finish"/> must not add it again.</summary>
        private bool BiasFirst => blocks > 0 && bias != 0 && !accumulate;

        /// <summary>One chain written straight into the output (no padded temp): <see cref="Compute"/> adds the bias to
        /// each panel right after computing it, so <see cref="Finish"/> has nothing left to do.</summary>
        private bool BiasAfterPanel => blocks == 0 && bias != 0 && InPlace;

        /// <summary>A padded or phased layout whose output rows are whole registers runs its tiles over the compact
        /// output (<see cref="PanelKernel.RowPanelSlots{T, TVec, TOps}(T*, T*, int*, int, T*, int, int, int, int, int, int, bool)"/>)
        /// and writes it in place: no garbage columns, no write-back. Not where accumulating straight into the output
        /// would add the depth blocks' sums or the bias to it in another order than the write-back does
        /// (<c>out + (sum + bias)</c>), so every path gives the same bits.</summary>
        private bool Compact => layout.Kind is (ConvLayoutKind.Padded or ConvLayoutKind.Phased)
            && g.OutWidth % TOps.Count == 0
            && !(accumulate && (blocks > 0 || bias != 0));

        /// <summary>Whether <see cref="Compute"/> writes the output itself rather than a padded temp.</summary>
        private bool InPlace => Compact || layout.Kind is (ConvLayoutKind.Direct or ConvLayoutKind.Im2Col);

        /// <summary>The GEMM columns of one sample: output pixels when <see cref="Compact"/>, else the layout's.</summary>
        public int Columns => Compact ? g.OutHeight * g.OutWidth : layout.Columns;

        /// <summary>Scratch elements per thread: the layout's, less the padded temp when <see cref="Compact"/>.</summary>
        public int Workspace => Compact ? layout.PaddedImageSize : layout.Workspace;

        /// <summary>Returns the B base for sample n: the input itself, or the padded image / im2col buffer written into ws.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip tier-0
        public T* Prepare(int n, T* ws)
        {
            var sample = (T*)input + ((long)n * g.InputSize);
            switch (layout.Kind)
            {
                case ConvLayoutKind.Direct:
                    return sample;
                case ConvLayoutKind.Padded:
                    if (layout.SharesSidePadding(g))
                    {
                        ConvPacking.PadImageShared(sample, g.InChannels, g.Height, g.Width, g.Padding, ws);
                    }
                    else
                    {
                        ConvPacking.PadImage(sample, g.InChannels, g.Height, g.Width, g.Padding, ws);
                    }

                    return ws;
                case ConvLayoutKind.Phased:
                    ConvPacking.PhaseImage(sample, g.InChannels, g.Height, g.Width, g.Padding, g.Stride, layout.PaddedHeight, layout.PaddedWidth, ws);
                    return ws;
                default:
                    if (layout.PaddedImageSize > 0)
                    {
                        // Stride-1 im2col (ConvLayout.ForForward): pad once, then copy each tap's rows out of the padded planes.
                        var padded = ws + ((long)layout.KDim * layout.Columns);
                        ConvPacking.PadImage(sample, g.InChannels, g.Height, g.Width, g.Padding, padded);
                        ConvPacking.ExpandPadded(padded, g.InChannels, g.Kernel, layout.PaddedHeight, layout.PaddedWidth, g.OutHeight, g.OutWidth, ws);
                        return ws;
                    }

                    ConvPacking.Im2Col(g, sample, ws);
                    return ws;
            }
        }

        /// <summary>GEMM columns [start, end) of sample n for every 8-row panel of output channels.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip tier-0
        public void Compute(int n, T* b, T* ws, int start, int end)
        {
            T* c;
            bool acc;
            int ldc;
            if (InPlace)
            {
                c = (T*)output + ((long)n * g.OutputSize);
                acc = accumulate;
                ldc = g.OutHeight * g.OutWidth;
            }
            else
            {
                c = ws + layout.PaddedImageSize; // temp [Cout][OH·Wp], compacted by Finish
                acc = false;
                ldc = layout.Ldc;
            }

            var kDim = layout.KDim;
            if (blocks == 0)
            {
                for (var o = 0; o < g.OutChannels; o += PanelKernel.Rows)
                {
                    var rows = Math.Min(PanelKernel.Rows, g.OutChannels - o);
                    Panel((T*)packedA + ((long)o * kDim), b, (int*)offsets, kDim, c + ((long)o * ldc), ldc, rows, start, end, acc);
                    if (BiasAfterPanel)
                    {
                        // The same sum + bias that Finish would add, while the panel's rows are still in cache.
                        for (var r = o; r < o + rows; r++)
                        {
                            var row = new Span<T>(c + ((long)r * ldc) + start, end - start);
                            TensorPrimitives.Add(row, ((T*)bias)[r], row);
                        }
                    }
                }

                return;
            }

            if (BiasFirst)
            {
                for (var o = 0; o < g.OutChannels; o++)
                {
                    new Span<T>(c + ((long)o * ldc) + start, end - start).Fill(((T*)bias)[o]);
                }

                acc = true;
            }

            // One pass per depth block; every pass after the first (or after the bias) adds its fresh sum to C.
            var ends = (int*)blockEnds;
            for (var o = 0; o < g.OutChannels; o += PanelKernel.Rows)
            {
                var blockAcc = acc;
                for (int k = 0, k0 = 0; k < blocks; k0 = ends[k++])
                {
                    Panel((T*)packedA + ((long)o * kDim) + ((long)k0 * PanelKernel.Rows), b, (int*)offsets + k0, ends[k] - k0,
                        c + ((long)o * ldc), ldc, Math.Min(PanelKernel.Rows, g.OutChannels - o), start, end, blockAcc);
                    blockAcc = true;
                }
            }
        }

        /// <summary>Columns [start, end) of one row panel whose C rows start at <paramref name="c"/>: over output slots
        /// when <see cref="Compact"/>, else over the layout's columns.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Panel(T* a, T* b, int* tapOffsets, int kDim, T* c, int ldc, int rows, int start, int end, bool acc)
        {
            if (Compact)
            {
                var v = TOps.Count;
                PanelKernel.RowPanelSlots<T, TVec, TOps>(a, b, tapOffsets, kDim, c, ldc, rows, start / v, end / v, g.OutWidth, layout.PaddedWidth, acc);
                return;
            }

            PanelKernel.RowPanel<T, TVec, TOps>(a, b + start, tapOffsets, kDim, c + start, ldc, rows, end - start, acc);
        }

        /// <summary>Padded layout: drops the Wp−OW garbage columns; all layouts: adds the bias.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip tier-0
        public void Finish(int n, T* ws)
        {
            int oh = g.OutHeight, ow = g.OutWidth;
            var outSample = (T*)output + ((long)n * g.OutputSize);
            if (InPlace && (BiasFirst || BiasAfterPanel || bias == 0))
            {
                return; // written in place by Compute, bias included
            }

            var biasPtr = BiasFirst ? null : (T*)bias;
            for (var o = 0; o < g.OutChannels; o++)
            {
                var b = biasPtr == null ? T.Zero : biasPtr[o];
                var plane = outSample + ((long)o * oh * ow);
                if (!InPlace)
                {
                    var temp = ws + layout.PaddedImageSize + ((long)o * layout.Ldc);
                    for (var y = 0; y < oh; y++)
                    {
                        RowCopy.CopyAdd(temp + ((long)y * layout.PaddedWidth), plane + ((long)y * ow), ow, b, accumulate);
                    }
                }
                else if (biasPtr != null)
                {
                    var span = new Span<T>(plane, oh * ow);
                    TensorPrimitives.Add(span, b, span);
                }
            }
        }
    }
}
