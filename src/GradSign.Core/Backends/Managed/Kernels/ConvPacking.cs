using System.Numerics;
using System.Runtime.CompilerServices;

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
            for (var kk = 0; kk < kDim; kk++)
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
                for (var t = 0; t < kk2; t++)
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

                        for (var v = v0; v < v1; v++)
                        {
                            line[v] = srcRow[stride * v];
                        }

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

                        for (var x = x0; x < x1; x++)
                        {
                            line[x] = srcRow[(x * s) + j - p];
                        }

                        for (var x = Math.Max(x0, x1); x < ow; x++)
                        {
                            line[x] = T.Zero;
                        }
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
                        for (var x = x0; x < x1; x++)
                        {
                            dstRow[(x * s) + j - p] += line[x];
                        }
                    }
                }
            }
        }
    }
}
