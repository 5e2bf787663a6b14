using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Data movement around the micro-kernels: packing A panels, zero-padding images (the implicit-im2col layout of
/// stride-1 convolutions), explicit im2col / col2im for the general case. All loops run in a fixed order.
/// </summary>
internal static unsafe class ConvPacking
{
    /// <summary>Elements of the packed panels for a <paramref name="rows"/>×<paramref name="kDim"/> matrix.</summary>
    public static int PanelSize(int rows, int kDim) => ((rows + PanelKernel.Rows - 1) / PanelKernel.Rows) * PanelKernel.Rows * kDim;

    /// <summary>
    /// Packs a rows×kDim matrix M (element (r, kk) at <c>src[r·rowStride + kk·colStride]</c>, so a transposed source is
    /// just swapped strides) into panels of 8 rows: <c>dst[(rb·kDim + kk)·8 + r] = M[rb·8 + r, kk]</c>, zero past the last row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip tier-0
    public static void PackRowPanels<T>(T* src, int rows, int kDim, long rowStride, long colStride, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int R = PanelKernel.Rows;
        for (var rb = 0; rb < rows; rb += R)
        {
            var valid = Math.Min(R, rows - rb);
            var panel = dst + ((long)rb * kDim);
            var kk = 0;
            if (typeof(T) == typeof(float) && Avx.IsSupported && valid == R && colStride == 1)
            {
                // Full panel, contiguous rows: 8×8 register transposes (the per-sample calls repack the weight every time).
                for (; kk + R <= kDim; kk += R)
                {
                    Transpose8x8((float*)(src + ((long)rb * rowStride) + kk), rowStride, (float*)(panel + ((long)kk * R)), R);
                }
            }

            for (; kk < kDim; kk++)
            {
                var line = panel + ((long)kk * R);
                var from = src + ((long)rb * rowStride) + ((long)kk * colStride);
                var r = 0;
                for (; r < valid; r++)
                {
                    line[r] = from[r * rowStride];
                }

                for (; r < R; r++)
                {
                    line[r] = T.Zero;
                }
            }
        }
    }

    /// <summary>
    /// Packs the weight of the transposed, spatially flipped convolution used by stride-1 backward-data:
    /// <c>W'[c, (o, i, j)] = W[o, c, K−1−i, K−1−j]</c>, as 8-row panels over c (see <see cref="PackRowPanels{T}"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip tier-0
    public static void PackFlippedTransposed<T>(T* weight, int outChannels, int inChannels, int kernel, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int R = PanelKernel.Rows;
        var kk2 = kernel * kernel;
        var kDim = outChannels * kk2;
        for (var cb = 0; cb < inChannels; cb += R)
        {
            var valid = Math.Min(R, inChannels - cb);
            var panel = dst + ((long)cb * kDim);
            for (var o = 0; o < outChannels; o++)
            {
                var t = 0;
                if (typeof(T) == typeof(float) && Avx.IsSupported && valid == R)
                {
                    // Rows c of W[o, cb..cb+7, ·] are K² apart; source tap j goes to line K²−1−j, so transposed 8×8
                    // blocks are stored with a negative line stride. Lines for the last K² mod 8 (smallest) taps follow below.
                    var block = (float*)(weight + ((((long)o * inChannels) + cb) * kk2));
                    for (; t + R <= kk2; t += R)
                    {
                        // Source taps j = t..t+7 land on lines K²−1−t down to K²−8−t.
                        Transpose8x8(block + t, kk2, (float*)(panel + ((long)((o * kk2) + kk2 - 1 - t) * R)), -R);
                    }

                    t = kk2 - t; // lines [0, K² − done) remain; they are the taps j = K²−1−line ≥ done
                    for (var line = 0; line < t; line++)
                    {
                        var to = panel + ((long)((o * kk2) + line) * R);
                        var flippedTap = kk2 - 1 - line;
                        for (var r = 0; r < R; r++)
                        {
                            to[r] = weight[(((long)((o * inChannels) + cb + r)) * kk2) + flippedTap];
                        }
                    }

                    continue;
                }

                for (; t < kk2; t++)
                {
                    var line = panel + ((long)((o * kk2) + t) * R);
                    var flipped = kk2 - 1 - t; // (K−1−i)·K + (K−1−j) = K²−1−(i·K+j)
                    var r = 0;
                    for (; r < valid; r++)
                    {
                        line[r] = weight[(((long)((o * inChannels) + cb + r)) * kk2) + flipped];
                    }

                    for (; r < R; r++)
                    {
                        line[r] = T.Zero;
                    }
                }
            }
        }
    }

    /// <summary>
    /// 8×8 float transpose: <c>dst[k·dstStride + r] = src[r·srcStride + k]</c> for r, k &lt; 8 (strides in elements; dstStride
    /// may be negative). Lane layout: one Vector256 per source row; unpack (pairs) → shuffle (quads) → 128-bit permute
    /// (halves) turns rows into columns in 24 shuffles. Scalar equivalent as written. Requires AVX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8x8(float* src, long srcStride, float* dst, long dstStride)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + srcStride);
        var r2 = Avx.LoadVector256(src + (2 * srcStride));
        var r3 = Avx.LoadVector256(src + (3 * srcStride));
        var r4 = Avx.LoadVector256(src + (4 * srcStride));
        var r5 = Avx.LoadVector256(src + (5 * srcStride));
        var r6 = Avx.LoadVector256(src + (6 * srcStride));
        var r7 = Avx.LoadVector256(src + (7 * srcStride));
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + (2 * dstStride), Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + (3 * dstStride), Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + (4 * dstStride), Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + (5 * dstStride), Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + (6 * dstStride), Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + (7 * dstStride), Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>Copies <paramref name="channels"/> planes of h×w into (h+2p)×(w+2p) planes with a zero border of width p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip tier-0
    public static void PadImage<T>(T* src, int channels, int height, int width, int pad, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int hp = height + (2 * pad), wp = width + (2 * pad);
        for (var c = 0; c < channels; c++)
        {
            var plane = dst + ((long)c * hp * wp);
            var from = src + ((long)c * height * width);

            // Top border plus the left border of the first row; every later border run (right of row y, left of row y+1)
            // is 2p contiguous zeros; the last one joins the bottom border.
            RowCopy.Zero(plane, (pad * wp) + pad);
            for (var y = 0; y < height; y++)
            {
                var row = plane + ((long)(pad + y) * wp) + pad;
                RowCopy.Copy(from + ((long)y * width), row, width);
                RowCopy.Zero(row + width, y == height - 1 ? pad + (pad * wp) : 2 * pad);
            }
        }
    }

    /// <summary>
    /// Zero-pads one sample with shared side padding (<see cref="ConvLayout.ForForward"/>): planes of Hp = H + 2p rows of
    /// Wq = W + p, <c>dst[c·Hp·Wq + (y + p)·Wq + p + x] = src[c, y, x]</c>, zeros elsewhere, plus p zeros after the last
    /// plane. Element p·Wq + p + (y·Wq) + W + t (t &lt; p) is both the right padding of row y and the left padding of
    /// row y + 1, so a stride-1 tap reads the same zeros as with separate padding. Scalar equivalent: clear dst, then copy
    /// each row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip tier-0
    public static void PadImageShared<T>(T* src, int channels, int height, int width, int pad, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int hp = height + (2 * pad), wq = width + pad;
        for (var c = 0; c < channels; c++)
        {
            var plane = dst + ((long)c * hp * wq);
            var from = src + ((long)c * height * width);

            // Top border plus the left padding of the first row; after each row the next row's left padding, after the
            // last row the bottom border.
            RowCopy.Zero(plane, (pad * wq) + pad);
            for (var y = 0; y < height; y++)
            {
                var row = plane + ((long)(pad + y) * wq) + pad;
                RowCopy.Copy(from + ((long)y * width), row, width);
                RowCopy.Zero(row + width, y == height - 1 ? pad * wq : pad);
            }
        }

        RowCopy.Zero(dst + ((long)channels * hp * wq), pad);
    }

    /// <summary>
    /// Splits one zero-padded sample into stride² phase planes (see <see cref="ConvLayoutKind.Phased"/>):
    /// <c>dst[((c·s + a)·s + b)·Hq·Wq + u·Wq + v] = input[c, s·u + a − p, s·v + b − p]</c>, 0 outside the input.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip tier-0
    public static void PhaseImage<T>(T* src, int channels, int height, int width, int pad, int stride, int planeHeight, int planeWidth, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var plane = planeHeight * planeWidth;
        for (var c = 0; c < channels; c++)
        {
            var from = src + ((long)c * height * width);
            for (var a = 0; a < stride; a++)
            {
                for (var b = 0; b < stride; b++)
                {
                    var to = dst + ((long)((((c * stride) + a) * stride) + b) * plane);
                    var (v0, v1) = ValidColumns(planeWidth, stride, b - pad, width);
                    for (var u = 0; u < planeHeight; u++)
                    {
                        var line = to + (u * planeWidth);
                        var r = (stride * u) + a - pad;
                        if ((uint)r >= (uint)height)
                        {
                            RowCopy.Zero(line, planeWidth);
                            continue;
                        }

                        var srcRow = from + ((long)r * width) + b - pad;
                        for (var v = 0; v < v0; v++)
                        {
                            line[v] = T.Zero;
                        }

                        StridedGather.Run(srcRow + (stride * v0), stride, line + v0, v1 - v0);

                        for (var v = Math.Max(v0, v1); v < planeWidth; v++)
                        {
                            line[v] = T.Zero;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Copies rows of length <paramref name="width"/> into rows of stride <paramref name="stride"/> ≥ width, zeroing the gap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip tier-0
    public static void WidenRows<T>(T* src, int rows, int width, int stride, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var r = 0; r < rows; r++)
        {
            var to = dst + ((long)r * stride);
            RowCopy.Copy(src + ((long)r * width), to, width);
            RowCopy.Zero(to + width, stride - width);
        }
    }

    /// <summary>im2col of one sample: <c>col[(c·K + i)·K + j, y·OW + x] = input[c, y·s + i − p, x·s + j − p]</c> (0 outside).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip tier-0
    public static void Im2Col<T>(in ConvGeometry g, T* input, T* col)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OutHeight, ow = g.OutWidth, k = g.Kernel, s = g.Stride, p = g.Padding;
        var plane = oh * ow;
        for (var c = 0; c < g.InChannels; c++)
        {
            var src = input + ((long)c * g.Height * g.Width);
            for (var i = 0; i < k; i++)
            {
                for (var j = 0; j < k; j++)
                {
                    var dst = col + ((long)((((c * k) + i) * k) + j) * plane);
                    for (var y = 0; y < oh; y++)
                    {
                        var iy = (y * s) + i - p;
                        var line = dst + (y * ow);
                        if ((uint)iy >= (uint)g.Height)
                        {
                            new Span<T>(line, ow).Clear();
                            continue;
                        }

                        var srcRow = src + ((long)iy * g.Width);
                        var (x0, x1) = ValidColumns(ow, s, j - p, g.Width);
                        for (var x = 0; x < x0; x++)
                        {
                            line[x] = T.Zero;
                        }

                        StridedGather.Run(srcRow + (x0 * s) + j - p, s, line + x0, x1 - x0);

                        for (var x = Math.Max(x0, x1); x < ow; x++)
                        {
                            line[x] = T.Zero;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// im2col rows of a stride-1 convolution from its zero-padded sample (<see cref="PadImage{T}"/>, planes Hp×Wp):
    /// <c>col[(c·K + i)·K + j, y·OW + x] = padded[c, y + i, x + j]</c>, each output row one contiguous run of OW
    /// elements copied with <see cref="RowCopy.Copy{T}"/>. Scalar equivalent: the same triple loop element by element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip tier-0
    public static void ExpandPadded<T>(T* padded, int channels, int kernel, int paddedHeight, int paddedWidth, int outHeight, int outWidth, T* col)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var plane = outHeight * outWidth;
        for (var c = 0; c < channels; c++)
        {
            var src = padded + ((long)c * paddedHeight * paddedWidth);
            for (var i = 0; i < kernel; i++)
            {
                for (var j = 0; j < kernel; j++)
                {
                    var dst = col + ((long)((((c * kernel) + i) * kernel) + j) * plane);
                    var from = src + ((long)i * paddedWidth) + j;
                    for (var y = 0; y < outHeight; y++)
                    {
                        RowCopy.Copy(from + ((long)y * paddedWidth), dst + ((long)y * outWidth), outWidth);
                    }
                }
            }
        }
    }

    /// <summary>The output columns x whose input column x·s + shift lies in [0, width): [x0, x1) (empty when x1 ≤ x0).</summary>
    private static (int Start, int End) ValidColumns(int outWidth, int stride, int shift, int width)
    {
        var start = shift >= 0 ? 0 : (-shift + stride - 1) / stride;
        var end = Math.Min(outWidth, ((width - 1 - shift) / stride) + 1);
        if (width - 1 - shift < 0)
        {
            end = 0;
        }

        return (Math.Min(start, outWidth), end);
    }

    /// <summary>col2im of one sample, the adjoint of <see cref="Im2Col{T}"/>: <c>grad[c, y·s + i − p, x·s + j − p] += col[(c,i,j), (y,x)]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip tier-0
    public static void Col2ImAdd<T>(in ConvGeometry g, T* col, T* grad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OutHeight, ow = g.OutWidth, k = g.Kernel, s = g.Stride, p = g.Padding;
        var plane = oh * ow;
        for (var c = 0; c < g.InChannels; c++)
        {
            var dst = grad + ((long)c * g.Height * g.Width);
            for (var i = 0; i < k; i++)
            {
                for (var j = 0; j < k; j++)
                {
                    var src = col + ((long)((((c * k) + i) * k) + j) * plane);
                    for (var y = 0; y < oh; y++)
                    {
                        var iy = (y * s) + i - p;
                        if ((uint)iy >= (uint)g.Height)
                        {
                            continue;
                        }

                        var dstRow = dst + ((long)iy * g.Width);
                        var line = src + (y * ow);
                        var (x0, x1) = ValidColumns(ow, s, j - p, g.Width);
                        StridedScatterAdd.Run(line + x0, s, dstRow + (x0 * s) + j - p, x1 - x0);
                    }
                }
            }
        }
    }
}
