using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Weight gradient of a stride-1 convolution with many input channels and small images (NAS-Bench-201's 32-channel 16×16
/// and 64-channel 8×8 cells), as one GEMM per kernel tap with the output contiguous along input channels:
/// <c>G_t[o, c] = Σ_(y,x) gO[o, y·OW + x] · X[(s·y + i)·Wp + s·x + j, c]</c> for tap t = (i, j) and stride s, where X is the zero-padded sample
/// in HWC order (pixel-major, channels contiguous). The reduction runs over the OH·OW real pixels only.
/// </summary>
/// <remarks>
/// <para>Why: <see cref="DotKernel"/> reduces along pixels and pays a horizontal sum per output element, which dominates
/// when a sample has only 64 pixels. Here the pixel index is the GEMM's k, gO is the packed broadcast operand
/// (8-row panels, <see cref="ConvPacking.PackRowPanels{T}"/>), and X rows (pixel (y, x) at offset (y·Wp + x)·Cin, shifted
/// by the tap) are read in place by <see cref="PanelKernel"/> through its row-offset table; no horizontal sums at all.</para>
/// <para>Determinism: chunks of <see cref="Chunk"/> samples (fixed) each accumulate their samples in order into a partial
/// [tap][Cout][Cin] buffer; partials are added in chunk order while transposing into [Cout][Cin][K][K]. Threads take whole
/// chunks, or (one chunk) ranges of taps.</para>
/// <para>Scalar equivalent: <c>gW[o,c,i,j] = Σ_n Σ_{y,x} gO[n,o,y,x]·input[n,c,y+i−p,x+j−p]</c> (the test project's reference).</para>
/// </remarks>
internal static unsafe class Conv2dBackwardWeightTaps
{
    /// <summary>Samples per chunk (a partial buffer each).</summary>
    public const int Chunk = 16;

    /// <summary>Whether this formulation suits <paramref name="g"/>: K ≥ stride &gt; 0, input channels filling at least 2 AVX-512
    /// registers (32 floats / 16 doubles), images of at most 256 pixels (32 channels at 16×16, 64 at 8×8). 1×1 kernels
    /// included: at 64 channels on 8×8 the dot-product tiles' rows are 8 registers long, so their horizontal sums and
    /// per-tile set-up cost more than the products (per-sample weight gradient 1.4 → 0.85 ms for 64 samples, one core).</summary>
    public static bool Applies<T>(in ConvGeometry g)
        where T : unmanaged
        => g.Kernel >= g.Stride && g.InChannels >= 2 * (64 / sizeof(T)) && g.OutHeight * g.OutWidth <= 256;

    /// <summary>Runs the tap-GEMM weight gradient (see the class remarks).</summary>
    public static void Run<T, TVec, TOps>(ConvGeometry g, int batch, T* input, T* gradOutput, T* gradWeight, bool accumulate, int threads, KernelScratch? scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        int paddedHeight = g.Height + (2 * g.Padding), paddedWidth = g.Width + (2 * g.Padding), s = g.Stride;
        int cin = g.InChannels, cout = g.OutChannels, taps = g.Kernel * g.Kernel, q = g.OutHeight * g.OutWidth;
        var tapSize = cout * cin;
        var partialSize = taps * tapSize;
        var chunks = (batch + Chunk - 1) / Chunk;
        var hwcSize = paddedHeight * paddedWidth * cin;
        var workspace = checked(hwcSize + ConvPacking.PanelSize(cout, q));
        var partials = KernelScratch.Rent<T>(scratch, checked(chunks * partialSize));
        var offsets = KernelScratch.Rent<int>(scratch, q);
        try
        {
            for (var k = 0; k < q; k++)
            {
                offsets[k] = (((k / g.OutWidth) * s * paddedWidth) + ((k % g.OutWidth) * s)) * cin; // pixel (y, x) reads (s·y, s·x)
            }

            fixed (T* partialsPtr = partials)
            fixed (int* offsetsPtr = offsets)
            {
                nint parts0 = (nint)partialsPtr, off = (nint)offsetsPtr;

                // Packs sample n into ws: [HWC padded image | gO as 8-row panels over the OH·OW pixels].
                void Pack(int n, T* ws)
                {
                    PadHwc(input + ((long)n * g.InputSize), cin, g.Height, g.Width, g.Padding, paddedWidth, ws);
                    ConvPacking.PackRowPanels(gradOutput + ((long)n * g.OutputSize), cout, q, q, 1, ws + hwcSize);
                }

                // Tap GEMMs [firstTap, endTap) of the packed sample, added (or written, for a chunk's first sample) to dst.
                void Taps(T* ws, int firstTap, int endTap, T* dst, bool add)
                {
                    var panels = ws + hwcSize;
                    for (var t = firstTap; t < endTap; t++)
                    {
                        int i = t / g.Kernel, j = t % g.Kernel;
                        var b = ws + ((long)((i * paddedWidth) + j) * cin);
                        for (var o = 0; o < cout; o += PanelKernel.Rows)
                        {
                            PanelKernel.RowPanel<T, TVec, TOps>(panels + ((long)o * q), b, (int*)off, q,
                                dst + ((long)t * tapSize) + ((long)o * cin), cin, Math.Min(PanelKernel.Rows, cout - o), cin, add);
                        }
                    }
                }

                if (chunks >= threads)
                {
                    KernelParallel.ForRanges(chunks, threads, (start, end) =>
                    {
                        var ws = KernelScratch.Rent<T>(scratch, workspace);
                        try
                        {
                            fixed (T* wsPtr = ws)
                            {
                                for (var c = start; c < end; c++)
                                {
                                    var dst = (T*)parts0 + ((long)c * partialSize);
                                    for (var n = c * Chunk; n < Math.Min(batch, (c + 1) * Chunk); n++)
                                    {
                                        Pack(n, wsPtr);
                                        Taps(wsPtr, 0, taps, dst, n != c * Chunk);
                                    }
                                }
                            }
                        }
                        finally
                        {
                            KernelScratch.Return(scratch, ws);
                        }
                    });
                }
                else
                {
                    var ws = KernelScratch.Rent<T>(scratch, workspace);
                    try
                    {
                        fixed (T* wsPtr = ws)
                        {
                            var wsAddress = (nint)wsPtr;
                            var parts = Math.Min(threads, taps);
                            for (var n = 0; n < batch; n++)
                            {
                                Pack(n, wsPtr);
                                var dst = (nint)((T*)parts0 + ((long)(n / Chunk) * partialSize));
                                var add = n % Chunk != 0;
                                KernelParallel.For(parts, part =>
                                {
                                    var (start, end) = KernelParallel.Range(taps, parts, part);
                                    Taps((T*)wsAddress, start, end, (T*)dst, add);
                                });
                            }
                        }
                    }
                    finally
                    {
                        KernelScratch.Return(scratch, ws);
                    }
                }

                // The transposing combine is ~1/6 of a per-sample call: split it over output channels too.
                var combineParts = Math.Min(threads, cout);
                nint gw = (nint)gradWeight;
                KernelParallel.For(combineParts, part =>
                {
                    var (start, end) = KernelParallel.Range(cout, combineParts, part);
                    Combine((T*)parts0, chunks, start, end, cout, cin, taps, (T*)gw, accumulate);
                });
            }
        }
        finally
        {
            KernelScratch.Return(scratch, partials);
            KernelScratch.Return(scratch, offsets);
        }
    }

    /// <summary>gW[o, c, t] = (accumulate ? gW : 0) + Σ_chunk partial[chunk][t][o][c], chunks in order, for o in [firstO, endO).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Combine<T>(T* partials, int chunks, int firstO, int endO, int cout, int cin, int taps, T* gradWeight, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tapSize = cout * cin;
        var partialSize = taps * tapSize;
        if (chunks == 1 && !accumulate)
        {
            // The common per-sample case: a plain [t][o][c] → [o][c][t] transpose, in 8×8 blocks (8 taps × 8 channels)
            // where AVX is available, the remaining taps and channels element by element.
            for (var o = firstO; o < endO; o++)
            {
                var c0 = 0;
                var t0 = 0;
                if (typeof(T) == typeof(float) && Avx.IsSupported && taps >= 8)
                {
                    for (; c0 + 8 <= cin; c0 += 8)
                    {
                        for (t0 = 0; t0 + 8 <= taps; t0 += 8)
                        {
                            ConvPacking.Transpose8x8((float*)(partials + ((long)t0 * tapSize) + (o * cin) + c0), tapSize, (float*)(gradWeight + ((long)((o * cin) + c0) * taps) + t0), taps);
                        }

                        for (var c = c0; c < c0 + 8; c++)
                        {
                            var dst = gradWeight + ((long)((o * cin) + c) * taps);
                            var src = partials + (o * cin) + c;
                            for (var t = t0; t < taps; t++)
                            {
                                dst[t] = src[(long)t * tapSize];
                            }
                        }
                    }
                }

                for (var c = c0; c < cin; c++)
                {
                    var dst = gradWeight + ((long)((o * cin) + c) * taps);
                    var src = partials + (o * cin) + c;
                    for (var t = 0; t < taps; t++)
                    {
                        dst[t] = src[(long)t * tapSize];
                    }
                }
            }

            return;
        }

        for (var o = firstO; o < endO; o++)
        {
            for (var c = 0; c < cin; c++)
            {
                var dst = gradWeight + ((long)((o * cin) + c) * taps);
                var src = partials + (o * cin) + c;
                for (var t = 0; t < taps; t++)
                {
                    var sum = accumulate ? dst[t] + src[(long)t * tapSize] : src[(long)t * tapSize];
                    for (var j = 1; j < chunks; j++)
                    {
                        sum += src[((long)j * partialSize) + ((long)t * tapSize)];
                    }

                    dst[t] = sum;
                }
            }
        }
    }

    /// <summary>Zero-padded HWC copy of one CHW sample: <c>dst[((y+p)·Wp + x+p)·C + c] = src[(c·H + y)·W + x]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PadHwc<T>(T* src, int channels, int height, int width, int pad, int paddedWidth, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var paddedHeight = height + (2 * pad);
        RowCopy.Zero(dst, paddedHeight * paddedWidth * channels);
        for (var y = 0; y < height; y++)
        {
            var x0 = 0;
            if (typeof(T) == typeof(float) && Avx.IsSupported && channels % 8 == 0)
            {
                // 8 pixels × 8 channels per register transpose (source rows are channel planes).
                for (; x0 + 8 <= width; x0 += 8)
                {
                    for (var c = 0; c < channels; c += 8)
                    {
                        ConvPacking.Transpose8x8((float*)(src + ((long)c * height * width) + (y * width) + x0), (long)height * width,
                            (float*)(dst + ((long)(((y + pad) * paddedWidth) + x0 + pad) * channels) + c), channels);
                    }
                }
            }

            for (var x = x0; x < width; x++)
            {
                var to = dst + ((long)(((y + pad) * paddedWidth) + x + pad) * channels);
                var from = src + (y * width) + x;
                var plane = height * width;
                for (var c = 0; c < channels; c++)
                {
                    to[c] = from[(long)c * plane];
                }
            }
        }
    }
}
