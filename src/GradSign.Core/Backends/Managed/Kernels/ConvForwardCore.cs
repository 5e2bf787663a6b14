using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// A convolution as a GEMM per sample, <c>out[o, pixel] = Σ_(c,i,j) A[o, (c,i,j)] · B[(c,i,j), pixel]</c>, with A already packed
/// into 8-row panels (the weight for <see cref="Conv2dForward"/>, the flipped transposed weight for stride-1
/// <see cref="Conv2dBackwardData"/>). B is never materialised for stride-1 convolutions (see <see cref="ConvLayout"/>).
/// </summary>
internal static unsafe class ConvForwardCore
{
    /// <summary>Runs on the widest accelerated registers: Vector512, else Vector256, else scalar.</summary>
    public static void Run<T>(in ConvGeometry g, int batch, T* input, T* packedA, T* bias, T* output, bool accumulate, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Run<T, Vector512<T>, Vector512Ops<T>>(g, batch, input, packedA, bias, output, accumulate, threads);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Run<T, Vector256<T>, Vector256Ops<T>>(g, batch, input, packedA, bias, output, accumulate, threads);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Run<T, Vector128<T>, Vector128Ops<T>>(g, batch, input, packedA, bias, output, accumulate, threads);
        }
        else
        {
            Run<T, T, ScalarOps<T>>(g, batch, input, packedA, bias, output, accumulate, threads);
        }
    }

    private static void Run<T, TVec, TOps>(ConvGeometry g, int batch, T* input, T* packedA, T* bias, T* output, bool accumulate, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var layout = ConvLayout.For(g);
        var kDim = layout.KDim;
        var offsetsArray = ArrayPool<int>.Shared.Rent(kDim);
        try
        {
            layout.FillTapOffsets(offsetsArray);
            fixed (int* offsetsPtr = offsetsArray)
            {
                var job = new Job<T, TVec, TOps>(g, layout, (nint)input, (nint)packedA, (nint)bias, (nint)output, (nint)offsetsPtr, accumulate);
                if (batch >= threads)
                {
                    // Whole samples per thread: pad/im2col, GEMM and write-back stay in that core's cache.
                    KernelParallel.For(threads, part =>
                    {
                        var (start, end) = KernelParallel.Range(batch, threads, part);
                        var ws = layout.Workspace > 0 ? ArrayPool<T>.Shared.Rent(layout.Workspace) : null;
                        try
                        {
                            fixed (T* wsPtr = ws)
                            {
                                for (var n = start; n < end; n++)
                                {
                                    var b = job.Prepare(n, wsPtr);
                                    job.Compute(n, b, wsPtr, 0, layout.Columns);
                                    job.Finish(n, wsPtr);
                                }
                            }
                        }
                        finally
                        {
                            if (ws is not null)
                            {
                                ArrayPool<T>.Shared.Return(ws);
                            }
                        }
                    });
                }
                else
                {
                    // Fewer samples than threads (per-sample calls): split each sample's columns.
                    var ws = layout.Workspace > 0 ? ArrayPool<T>.Shared.Rent(layout.Workspace) : null;
                    try
                    {
                        fixed (T* wsPtr = ws)
                        {
                            var wsAddress = (nint)wsPtr;
                            var granule = 3 * TOps.Count;
                            var parts = Math.Max(1, Math.Min(threads, layout.Columns / granule));
                            for (var n = 0; n < batch; n++)
                            {
                                var b = (nint)job.Prepare(n, wsPtr);
                                var sample = n;
                                KernelParallel.For(parts, part =>
                                {
                                    var (start, end) = KernelParallel.Range(layout.Columns, parts, part, granule);
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
                            ArrayPool<T>.Shared.Return(ws);
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(offsetsArray);
        }
    }

    /// <summary>Per-call state shared (read-only) by the worker threads; pointers are pinned by the caller.</summary>
    private readonly struct Job<T, TVec, TOps>(ConvGeometry g, ConvLayout layout, nint input, nint packedA, nint bias, nint output, nint offsets, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
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
                    ConvPacking.PadImage(sample, g.InChannels, g.Height, g.Width, g.Padding, ws);
                    return ws;
                case ConvLayoutKind.Phased:
                    ConvPacking.PhaseImage(sample, g.InChannels, g.Height, g.Width, g.Padding, g.Stride, layout.PaddedHeight, layout.PaddedWidth, ws);
                    return ws;
                default:
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
            if (layout.Kind is ConvLayoutKind.Padded or ConvLayoutKind.Phased)
            {
                c = ws + layout.PaddedImageSize; // temp [Cout][OH·Wp], compacted by Finish
                acc = false;
            }
            else
            {
                c = (T*)output + ((long)n * g.OutputSize);
                acc = accumulate;
            }

            var kDim = layout.KDim;
            for (var o = 0; o < g.OutChannels; o += PanelKernel.Rows)
            {
                PanelKernel.RowPanel<T, TVec, TOps>(
                    (T*)packedA + ((long)o * kDim), b + start, (int*)offsets, kDim,
                    c + ((long)o * layout.Ldc) + start, layout.Ldc, Math.Min(PanelKernel.Rows, g.OutChannels - o), end - start, acc);
            }
        }

        /// <summary>Padded layout: drops the Wp−OW garbage columns; all layouts: adds the bias.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip tier-0
        public void Finish(int n, T* ws)
        {
            int oh = g.OutHeight, ow = g.OutWidth;
            var outSample = (T*)output + ((long)n * g.OutputSize);
            var biasPtr = (T*)bias;
            for (var o = 0; o < g.OutChannels; o++)
            {
                var b = biasPtr == null ? T.Zero : biasPtr[o];
                var plane = outSample + ((long)o * oh * ow);
                if (layout.Kind is ConvLayoutKind.Padded or ConvLayoutKind.Phased)
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
