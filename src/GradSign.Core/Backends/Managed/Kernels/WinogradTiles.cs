using System.Runtime.CompilerServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// The layout and tile transforms the Winograd F(2×2, 3×3) kernels share (<see cref="Conv3x3Winograd"/>,
/// <see cref="Conv3x3WinogradWeight"/>): a sample in channel blocks, <c>[c/16][row][column][c mod 16]</c>, so that one
/// AVX-512 register (two AVX2 registers) holds 16 channels of one pixel, and the transforms of 4×4 input patches and 2×2
/// output-gradient tiles over whole registers.
/// </summary>
/// <remarks>The transforms are lane-wise, so every register width gives the same bits; the ops type (<c>TOps</c>)
/// only sets how many registers cover a block of 16 channels.</remarks>
internal static unsafe class WinogradTiles
{
    /// <summary>Channels per block (one float32 AVX-512 register).</summary>
    public const int L = 16;

    /// <summary>
    /// CHW sample → channel blocks: <c>xb[((c/16)·Hb + y + border)·Wb + x + border][c mod 16] = x[c, y, x]</c>. Only the
    /// interior is written (the caller zeroes the rest once). Lane layout: 8×8 register transposes of 8 pixels × 8
    /// channels; a scalar loop for the last width mod 8 pixels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Block(float* x, int channels, int height, int width, float* xb, int blockHeight, int blockWidth, int border)
    {
        var hw = height * width;
        for (var cb = 0; cb < channels / L; cb++)
        {
            var plane = xb + ((long)cb * blockHeight * blockWidth * L);
            for (var y = 0; y < height; y++)
            {
                var row = plane + ((long)((y + border) * blockWidth) + border) * L;
                var x0 = 0;
                for (; x0 + 8 <= width; x0 += 8)
                {
                    for (var half = 0; half < L; half += 8)
                    {
                        ConvPacking.Transpose8x8(x + ((long)((cb * L) + half) * hw) + (y * width) + x0, hw, row + ((long)x0 * L) + half, L);
                    }
                }

                for (; x0 < width; x0++)
                {
                    for (var l = 0; l < L; l++)
                    {
                        row[((long)x0 * L) + l] = x[((long)((cb * L) + l) * hw) + (y * width) + x0];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Input transform <c>V = Bᵀ·d·B</c> of every tile (d = the 4×4 patch at blocked rows 2ty..2ty+3, columns 2tx..2tx+3),
    /// Bᵀ = [[1,0,−1,0],[0,1,1,0],[0,−1,1,0],[0,1,0,−1]]: written to <c>v[ξ·xiStride + cb·blockStride + t·16]</c>
    /// (ξ = 4·row + column, t = ty·tilesWide + tx). 16 loads, 32 adds and 16 stores per register, all in registers
    /// (columns of d first, then rows).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TransformInput<TVec, TOps>(float* xb, int blocks, int blockHeight, int blockWidth, int tilesHigh, int tilesWide, float* v, long blockStride, long xiStride)
        where TVec : unmanaged
        where TOps : ISimdOps<float, TVec>
    {
        var rowStride = (long)blockWidth * L;
        for (var cb = 0; cb < blocks; cb++)
        {
            var plane = xb + ((long)cb * blockHeight * rowStride);
            var outBlock = v + (cb * blockStride);
            for (var ty = 0; ty < tilesHigh; ty++)
            {
                var p = plane + (2 * ty * rowStride);
                var o = outBlock + ((long)ty * tilesWide * L);
                for (var tx = 0; tx < tilesWide; tx++, p += 2 * L, o += L)
                {
                    for (var h = 0; h < L; h += TOps.Count)
                    {
                        // Column j of d (rows 0..3) → Bᵀ·d_j: e0j = d0j − d2j, e1j = d1j + d2j, e2j = d2j − d1j, e3j = d1j − d3j.
                        Column<TVec, TOps>(p + h, rowStride, out var e00, out var e10, out var e20, out var e30);
                        Column<TVec, TOps>(p + h + L, rowStride, out var e01, out var e11, out var e21, out var e31);
                        Column<TVec, TOps>(p + h + (2 * L), rowStride, out var e02, out var e12, out var e22, out var e32);
                        Column<TVec, TOps>(p + h + (3 * L), rowStride, out var e03, out var e13, out var e23, out var e33);

                        // Row ρ of e → (e·B)_ρ, stored at ξ = 4ρ + column.
                        Row<TVec, TOps>(e00, e01, e02, e03, o + h, xiStride);
                        Row<TVec, TOps>(e10, e11, e12, e13, o + h + (4 * xiStride), xiStride);
                        Row<TVec, TOps>(e20, e21, e22, e23, o + h + (8 * xiStride), xiStride);
                        Row<TVec, TOps>(e30, e31, e32, e33, o + h + (12 * xiStride), xiStride);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Output-gradient transform for the weight gradient, <c>Gy = G''·g·G''ᵀ</c> of every 2×2 tile g of the blocked
    /// gradient (rows 2ty..2ty+1, columns 2tx..2tx+1, no border), with G'' = [[1,0],[½,½],[½,−½],[0,−1]] (F(3, 2)'s
    /// filter transform, last row negated to pair with <see cref="TransformInput"/>'s last row, d1 − d3): written to
    /// <c>gy[ξ·xiStride + t·ldg + k]</c> (one register of 16 output channels at a time).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TransformOutputGradient<TVec, TOps>(float* gb, int blocks, int blockHeight, int blockWidth, int tilesHigh, int tilesWide, float* gy, int ldg, long xiStride)
        where TVec : unmanaged
        where TOps : ISimdOps<float, TVec>
    {
        var rowStride = (long)blockWidth * L;
        var half = TOps.Broadcast(0.5f);
        for (var kb = 0; kb < blocks; kb++)
        {
            var plane = gb + ((long)kb * blockHeight * rowStride);
            for (var ty = 0; ty < tilesHigh; ty++)
            {
                for (var tx = 0; tx < tilesWide; tx++)
                {
                    for (var h = 0; h < L; h += TOps.Count)
                    {
                        var p = plane + (2 * ty * rowStride) + (2 * tx * L) + h;
                        TVec g00 = TOps.Load(p), g01 = TOps.Load(p + L), g10 = TOps.Load(p + rowStride), g11 = TOps.Load(p + rowStride + L);

                        // Along columns: h_a = [g_a0, ½(g_a0 + g_a1), ½(g_a0 − g_a1), −g_a1].
                        TVec h00 = g00, h01 = TOps.Multiply(half, TOps.Add(g00, g01)), h02 = TOps.Multiply(half, TOps.Subtract(g00, g01)), h03 = TOps.Negate(g01);
                        TVec h10 = g10, h11 = TOps.Multiply(half, TOps.Add(g10, g11)), h12 = TOps.Multiply(half, TOps.Subtract(g10, g11)), h13 = TOps.Negate(g11);

                        // Along rows: ρ = 0: h0, 1: ½(h0 + h1), 2: ½(h0 − h1), 3: −h1.
                        var o = gy + ((long)((ty * tilesWide) + tx) * ldg) + (kb * L) + h;
                        Out(h00, h10, o, xiStride, half);
                        Out(h01, h11, o + xiStride, xiStride, half);
                        Out(h02, h12, o + (2 * xiStride), xiStride, half);
                        Out(h03, h13, o + (3 * xiStride), xiStride, half);
                    }
                }
            }
        }

        static void Out(TVec h0, TVec h1, float* o, long xi, TVec half)
        {
            TOps.Store(h0, o);
            TOps.Store(TOps.Multiply(half, TOps.Add(h0, h1)), o + (4 * xi));
            TOps.Store(TOps.Multiply(half, TOps.Subtract(h0, h1)), o + (8 * xi));
            TOps.Store(TOps.Negate(h1), o + (12 * xi));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Column<TVec, TOps>(float* p, long rowStride, out TVec e0, out TVec e1, out TVec e2, out TVec e3)
        where TVec : unmanaged
        where TOps : ISimdOps<float, TVec>
    {
        TVec d0 = TOps.Load(p), d1 = TOps.Load(p + rowStride), d2 = TOps.Load(p + (2 * rowStride)), d3 = TOps.Load(p + (3 * rowStride));
        e0 = TOps.Subtract(d0, d2);
        e1 = TOps.Add(d1, d2);
        e2 = TOps.Subtract(d2, d1);
        e3 = TOps.Subtract(d1, d3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row<TVec, TOps>(TVec a0, TVec a1, TVec a2, TVec a3, float* o, long xi)
        where TVec : unmanaged
        where TOps : ISimdOps<float, TVec>
    {
        TOps.Store(TOps.Subtract(a0, a2), o);
        TOps.Store(TOps.Add(a1, a2), o + xi);
        TOps.Store(TOps.Subtract(a2, a1), o + (2 * xi));
        TOps.Store(TOps.Subtract(a1, a3), o + (3 * xi));
    }
}
