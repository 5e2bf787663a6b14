using System.Numerics;
using System.Runtime.CompilerServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// GEMM micro-kernel for a channel-blocked left operand: <c>C[t, k] = Σ_c A[t, c] · B[c, k]</c>, where A is stored in
/// blocks of L = 16 channels (<see cref="WinogradTiles.L"/>), <c>A[t, c] = a[(c / L)·blockStride + t·L + c mod L]</c>
/// (the layout the Winograd transforms write: one block of L channels per row), B is row-major with row stride
/// <c>ldb</c> and C is row-major with row stride <c>ldc</c>.
/// </summary>
/// <remarks>
/// <para>Lane layout: a register holds <c>TOps.Count</c> consecutive columns k of one row of C; every A element is
/// broadcast. With 32 vector registers (AVX-512 CPUs) tiles keep 24 accumulators: 6 rows × 4 registers, 12 × 2 or
/// 24 × 1, so any column count that is a multiple of the register covers 4-, 2- and 1-register column strips with no
/// waste. With 16 (AVX2) one tile of 6 rows × 2 registers (12 accumulators, 2 B registers, one broadcast) covers
/// 16-column strips. Per step (one c) a tile issues its column loads plus one broadcast per row. Row r of a tile reads
/// A at a fixed displacement r·L from the block base, so no per-row pointers are needed.</para>
/// <para>Rows: the caller guarantees that A has readable (zero) rows up to a multiple of 24; rows past
/// <c>rows</c> are computed and not stored.</para>
/// <para>Scalar equivalent: <c>for t, k: s = 0; for c in 0..C−1: s = fma(A[t,c], B[c,k], s); C[t,k] = s</c> (c ascending,
/// whatever the tiles, so every register width gives the same bits).</para>
/// </remarks>
internal static unsafe class BlockedRowKernel
{
    /// <summary>A's rows must be readable up to a multiple of this.</summary>
    public const int RowMultiple = 24;

    private const int L = WinogradTiles.L;

    /// <summary>Computes rows [0, rows) and columns [0, columns) of C (columns a multiple of 16), in the tiles that fit
    /// the register file (<see cref="RegisterFile"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<T, TVec, TOps>(T* a, long blockStride, int channelBlocks, T* b, int ldb, int columns, T* c, int ldc, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        if (RegisterFile.HoldsWideTiles<TVec>())
        {
            RunWide<T, TVec, TOps>(a, blockStride, channelBlocks, b, ldb, columns, c, ldc, rows);
        }
        else
        {
            RunNarrow<T, TVec, TOps>(a, blockStride, channelBlocks, b, ldb, columns, c, ldc, rows);
        }
    }

    /// <summary><see cref="Run"/> for 16 registers: 6 × 2-register tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RunNarrow<T, TVec, TOps>(T* a, long blockStride, int channelBlocks, T* b, int ldb, int columns, T* c, int ldc, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        for (var col = 0; col < columns; col += 2 * v)
        {
            for (var t = 0; t < rows; t += 6)
            {
                Tile6x2<T, TVec, TOps>(a + ((long)t * L), blockStride, channelBlocks, b + col, ldb, c + ((long)t * ldc) + col, ldc, Math.Min(6, rows - t));
            }
        }
    }

    /// <summary><see cref="Run"/> for 32 registers: 24-accumulator tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RunWide<T, TVec, TOps>(T* a, long blockStride, int channelBlocks, T* b, int ldb, int columns, T* c, int ldc, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        var col = 0;
        for (; col + (4 * v) <= columns; col += 4 * v)
        {
            for (var t = 0; t < rows; t += 6)
            {
                Tile6x4<T, TVec, TOps>(a + ((long)t * L), blockStride, channelBlocks, b + col, ldb, c + ((long)t * ldc) + col, ldc, Math.Min(6, rows - t));
            }
        }

        for (; col + (2 * v) <= columns; col += 2 * v)
        {
            for (var t = 0; t < rows; t += 12)
            {
                Tile12x2<T, TVec, TOps>(a + ((long)t * L), blockStride, channelBlocks, b + col, ldb, c + ((long)t * ldc) + col, ldc, Math.Min(12, rows - t));
            }
        }

        for (; col < columns; col += v)
        {
            for (var t = 0; t < rows; t += 24)
            {
                Tile24x1<T, TVec, TOps>(a + ((long)t * L), blockStride, channelBlocks, b + col, ldb, c + ((long)t * ldc) + col, ldc, Math.Min(24, rows - t));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x2<T, TVec, TOps>(T* a, long blockStride, int channelBlocks, T* b, int ldb, T* c, int ldc, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        TVec c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero, c20 = TOps.Zero, c21 = TOps.Zero;
        TVec c30 = TOps.Zero, c31 = TOps.Zero, c40 = TOps.Zero, c41 = TOps.Zero, c50 = TOps.Zero, c51 = TOps.Zero;
        for (var cb = 0; cb < channelBlocks; cb++)
        {
            var pa = a + (cb * blockStride);
            var pb = b + ((long)cb * L * ldb);
            for (var l = 0; l < L; l++)
            {
                var row = pb + ((long)l * ldb);
                var b0 = TOps.Load(row);
                var b1 = TOps.Load(row + v);
                var x = TOps.Broadcast(pa[l]);
                c00 = TOps.MultiplyAdd(x, b0, c00); c01 = TOps.MultiplyAdd(x, b1, c01);
                x = TOps.Broadcast(pa[L + l]);
                c10 = TOps.MultiplyAdd(x, b0, c10); c11 = TOps.MultiplyAdd(x, b1, c11);
                x = TOps.Broadcast(pa[(2 * L) + l]);
                c20 = TOps.MultiplyAdd(x, b0, c20); c21 = TOps.MultiplyAdd(x, b1, c21);
                x = TOps.Broadcast(pa[(3 * L) + l]);
                c30 = TOps.MultiplyAdd(x, b0, c30); c31 = TOps.MultiplyAdd(x, b1, c31);
                x = TOps.Broadcast(pa[(4 * L) + l]);
                c40 = TOps.MultiplyAdd(x, b0, c40); c41 = TOps.MultiplyAdd(x, b1, c41);
                x = TOps.Broadcast(pa[(5 * L) + l]);
                c50 = TOps.MultiplyAdd(x, b0, c50); c51 = TOps.MultiplyAdd(x, b1, c51);
            }
        }

        TOps.Store(c00, c); TOps.Store(c01, c + v);
        if (rows > 1) { TOps.Store(c10, c + ldc); TOps.Store(c11, c + ldc + v); }
        if (rows > 2) { TOps.Store(c20, c + (2 * ldc)); TOps.Store(c21, c + (2 * ldc) + v); }
        if (rows > 3) { TOps.Store(c30, c + (3 * ldc)); TOps.Store(c31, c + (3 * ldc) + v); }
        if (rows > 4) { TOps.Store(c40, c + (4 * ldc)); TOps.Store(c41, c + (4 * ldc) + v); }
        if (rows > 5) { TOps.Store(c50, c + (5 * ldc)); TOps.Store(c51, c + (5 * ldc) + v); }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x4<T, TVec, TOps>(T* a, long blockStride, int channelBlocks, T* b, int ldb, T* c, int ldc, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        TVec c00 = TOps.Zero, c01 = TOps.Zero, c02 = TOps.Zero, c03 = TOps.Zero;
        TVec c10 = TOps.Zero, c11 = TOps.Zero, c12 = TOps.Zero, c13 = TOps.Zero;
        TVec c20 = TOps.Zero, c21 = TOps.Zero, c22 = TOps.Zero, c23 = TOps.Zero;
        TVec c30 = TOps.Zero, c31 = TOps.Zero, c32 = TOps.Zero, c33 = TOps.Zero;
        TVec c40 = TOps.Zero, c41 = TOps.Zero, c42 = TOps.Zero, c43 = TOps.Zero;
        TVec c50 = TOps.Zero, c51 = TOps.Zero, c52 = TOps.Zero, c53 = TOps.Zero;
        for (var cb = 0; cb < channelBlocks; cb++)
        {
            var pa = a + (cb * blockStride);
            var pb = b + ((long)cb * L * ldb);
            for (var l = 0; l < L; l++)
            {
                var row = pb + ((long)l * ldb);
                var b0 = TOps.Load(row);
                var b1 = TOps.Load(row + v);
                var b2 = TOps.Load(row + (2 * v));
                var b3 = TOps.Load(row + (3 * v));
                var x = TOps.Broadcast(pa[l]);
                c00 = TOps.MultiplyAdd(x, b0, c00); c01 = TOps.MultiplyAdd(x, b1, c01); c02 = TOps.MultiplyAdd(x, b2, c02); c03 = TOps.MultiplyAdd(x, b3, c03);
                x = TOps.Broadcast(pa[L + l]);
                c10 = TOps.MultiplyAdd(x, b0, c10); c11 = TOps.MultiplyAdd(x, b1, c11); c12 = TOps.MultiplyAdd(x, b2, c12); c13 = TOps.MultiplyAdd(x, b3, c13);
                x = TOps.Broadcast(pa[(2 * L) + l]);
                c20 = TOps.MultiplyAdd(x, b0, c20); c21 = TOps.MultiplyAdd(x, b1, c21); c22 = TOps.MultiplyAdd(x, b2, c22); c23 = TOps.MultiplyAdd(x, b3, c23);
                x = TOps.Broadcast(pa[(3 * L) + l]);
                c30 = TOps.MultiplyAdd(x, b0, c30); c31 = TOps.MultiplyAdd(x, b1, c31); c32 = TOps.MultiplyAdd(x, b2, c32); c33 = TOps.MultiplyAdd(x, b3, c33);
                x = TOps.Broadcast(pa[(4 * L) + l]);
                c40 = TOps.MultiplyAdd(x, b0, c40); c41 = TOps.MultiplyAdd(x, b1, c41); c42 = TOps.MultiplyAdd(x, b2, c42); c43 = TOps.MultiplyAdd(x, b3, c43);
                x = TOps.Broadcast(pa[(5 * L) + l]);
                c50 = TOps.MultiplyAdd(x, b0, c50); c51 = TOps.MultiplyAdd(x, b1, c51); c52 = TOps.MultiplyAdd(x, b2, c52); c53 = TOps.MultiplyAdd(x, b3, c53);
            }
        }

        Store4(c00, c01, c02, c03, c);
        if (rows > 1) { Store4(c10, c11, c12, c13, c + ldc); }
        if (rows > 2) { Store4(c20, c21, c22, c23, c + (2 * ldc)); }
        if (rows > 3) { Store4(c30, c31, c32, c33, c + (3 * ldc)); }
        if (rows > 4) { Store4(c40, c41, c42, c43, c + (4 * ldc)); }
        if (rows > 5) { Store4(c50, c51, c52, c53, c + (5 * ldc)); }

        static void Store4(TVec x0, TVec x1, TVec x2, TVec x3, T* to)
        {
            var w = TOps.Count;
            TOps.Store(x0, to);
            TOps.Store(x1, to + w);
            TOps.Store(x2, to + (2 * w));
            TOps.Store(x3, to + (3 * w));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile12x2<T, TVec, TOps>(T* a, long blockStride, int channelBlocks, T* b, int ldb, T* c, int ldc, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        TVec c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero, c20 = TOps.Zero, c21 = TOps.Zero;
        TVec c30 = TOps.Zero, c31 = TOps.Zero, c40 = TOps.Zero, c41 = TOps.Zero, c50 = TOps.Zero, c51 = TOps.Zero;
        TVec c60 = TOps.Zero, c61 = TOps.Zero, c70 = TOps.Zero, c71 = TOps.Zero, c80 = TOps.Zero, c81 = TOps.Zero;
        TVec c90 = TOps.Zero, c91 = TOps.Zero, ca0 = TOps.Zero, ca1 = TOps.Zero, cb0 = TOps.Zero, cb1 = TOps.Zero;
        for (var cb = 0; cb < channelBlocks; cb++)
        {
            var pa = a + (cb * blockStride);
            var pb = b + ((long)cb * L * ldb);
            for (var l = 0; l < L; l++)
            {
                var row = pb + ((long)l * ldb);
                var b0 = TOps.Load(row);
                var b1 = TOps.Load(row + v);
                var x = TOps.Broadcast(pa[l]);
                c00 = TOps.MultiplyAdd(x, b0, c00); c01 = TOps.MultiplyAdd(x, b1, c01);
                x = TOps.Broadcast(pa[L + l]);
                c10 = TOps.MultiplyAdd(x, b0, c10); c11 = TOps.MultiplyAdd(x, b1, c11);
                x = TOps.Broadcast(pa[(2 * L) + l]);
                c20 = TOps.MultiplyAdd(x, b0, c20); c21 = TOps.MultiplyAdd(x, b1, c21);
                x = TOps.Broadcast(pa[(3 * L) + l]);
                c30 = TOps.MultiplyAdd(x, b0, c30); c31 = TOps.MultiplyAdd(x, b1, c31);
                x = TOps.Broadcast(pa[(4 * L) + l]);
                c40 = TOps.MultiplyAdd(x, b0, c40); c41 = TOps.MultiplyAdd(x, b1, c41);
                x = TOps.Broadcast(pa[(5 * L) + l]);
                c50 = TOps.MultiplyAdd(x, b0, c50); c51 = TOps.MultiplyAdd(x, b1, c51);
                x = TOps.Broadcast(pa[(6 * L) + l]);
                c60 = TOps.MultiplyAdd(x, b0, c60); c61 = TOps.MultiplyAdd(x, b1, c61);
                x = TOps.Broadcast(pa[(7 * L) + l]);
                c70 = TOps.MultiplyAdd(x, b0, c70); c71 = TOps.MultiplyAdd(x, b1, c71);
                x = TOps.Broadcast(pa[(8 * L) + l]);
                c80 = TOps.MultiplyAdd(x, b0, c80); c81 = TOps.MultiplyAdd(x, b1, c81);
                x = TOps.Broadcast(pa[(9 * L) + l]);
                c90 = TOps.MultiplyAdd(x, b0, c90); c91 = TOps.MultiplyAdd(x, b1, c91);
                x = TOps.Broadcast(pa[(10 * L) + l]);
                ca0 = TOps.MultiplyAdd(x, b0, ca0); ca1 = TOps.MultiplyAdd(x, b1, ca1);
                x = TOps.Broadcast(pa[(11 * L) + l]);
                cb0 = TOps.MultiplyAdd(x, b0, cb0); cb1 = TOps.MultiplyAdd(x, b1, cb1);
            }
        }

        var w = TOps.Count;
        TOps.Store(c00, c); TOps.Store(c01, c + w);
        if (rows > 1) { TOps.Store(c10, c + ldc); TOps.Store(c11, c + ldc + w); }
        if (rows > 2) { TOps.Store(c20, c + (2 * ldc)); TOps.Store(c21, c + (2 * ldc) + w); }
        if (rows > 3) { TOps.Store(c30, c + (3 * ldc)); TOps.Store(c31, c + (3 * ldc) + w); }
        if (rows > 4) { TOps.Store(c40, c + (4 * ldc)); TOps.Store(c41, c + (4 * ldc) + w); }
        if (rows > 5) { TOps.Store(c50, c + (5 * ldc)); TOps.Store(c51, c + (5 * ldc) + w); }
        if (rows > 6) { TOps.Store(c60, c + (6 * ldc)); TOps.Store(c61, c + (6 * ldc) + w); }
        if (rows > 7) { TOps.Store(c70, c + (7 * ldc)); TOps.Store(c71, c + (7 * ldc) + w); }
        if (rows > 8) { TOps.Store(c80, c + (8 * ldc)); TOps.Store(c81, c + (8 * ldc) + w); }
        if (rows > 9) { TOps.Store(c90, c + (9 * ldc)); TOps.Store(c91, c + (9 * ldc) + w); }
        if (rows > 10) { TOps.Store(ca0, c + (10 * ldc)); TOps.Store(ca1, c + (10 * ldc) + w); }
        if (rows > 11) { TOps.Store(cb0, c + (11 * ldc)); TOps.Store(cb1, c + (11 * ldc) + w); }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile24x1<T, TVec, TOps>(T* a, long blockStride, int channelBlocks, T* b, int ldb, T* c, int ldc, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        TVec c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero, c4 = TOps.Zero, c5 = TOps.Zero;
        TVec c6 = TOps.Zero, c7 = TOps.Zero, c8 = TOps.Zero, c9 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero;
        TVec c12 = TOps.Zero, c13 = TOps.Zero, c14 = TOps.Zero, c15 = TOps.Zero, c16 = TOps.Zero, c17 = TOps.Zero;
        TVec c18 = TOps.Zero, c19 = TOps.Zero, c20 = TOps.Zero, c21 = TOps.Zero, c22 = TOps.Zero, c23 = TOps.Zero;
        for (var cb = 0; cb < channelBlocks; cb++)
        {
            var pa = a + (cb * blockStride);
            var pb = b + ((long)cb * L * ldb);
            for (var l = 0; l < L; l++)
            {
                var b0 = TOps.Load(pb + ((long)l * ldb));
                var p = pa + l;
                c0 = TOps.MultiplyAdd(TOps.Broadcast(p[0]), b0, c0);
                c1 = TOps.MultiplyAdd(TOps.Broadcast(p[L]), b0, c1);
                c2 = TOps.MultiplyAdd(TOps.Broadcast(p[2 * L]), b0, c2);
                c3 = TOps.MultiplyAdd(TOps.Broadcast(p[3 * L]), b0, c3);
                c4 = TOps.MultiplyAdd(TOps.Broadcast(p[4 * L]), b0, c4);
                c5 = TOps.MultiplyAdd(TOps.Broadcast(p[5 * L]), b0, c5);
                c6 = TOps.MultiplyAdd(TOps.Broadcast(p[6 * L]), b0, c6);
                c7 = TOps.MultiplyAdd(TOps.Broadcast(p[7 * L]), b0, c7);
                c8 = TOps.MultiplyAdd(TOps.Broadcast(p[8 * L]), b0, c8);
                c9 = TOps.MultiplyAdd(TOps.Broadcast(p[9 * L]), b0, c9);
                c10 = TOps.MultiplyAdd(TOps.Broadcast(p[10 * L]), b0, c10);
                c11 = TOps.MultiplyAdd(TOps.Broadcast(p[11 * L]), b0, c11);
                c12 = TOps.MultiplyAdd(TOps.Broadcast(p[12 * L]), b0, c12);
                c13 = TOps.MultiplyAdd(TOps.Broadcast(p[13 * L]), b0, c13);
                c14 = TOps.MultiplyAdd(TOps.Broadcast(p[14 * L]), b0, c14);
                c15 = TOps.MultiplyAdd(TOps.Broadcast(p[15 * L]), b0, c15);
                c16 = TOps.MultiplyAdd(TOps.Broadcast(p[16 * L]), b0, c16);
                c17 = TOps.MultiplyAdd(TOps.Broadcast(p[17 * L]), b0, c17);
                c18 = TOps.MultiplyAdd(TOps.Broadcast(p[18 * L]), b0, c18);
                c19 = TOps.MultiplyAdd(TOps.Broadcast(p[19 * L]), b0, c19);
                c20 = TOps.MultiplyAdd(TOps.Broadcast(p[20 * L]), b0, c20);
                c21 = TOps.MultiplyAdd(TOps.Broadcast(p[21 * L]), b0, c21);
                c22 = TOps.MultiplyAdd(TOps.Broadcast(p[22 * L]), b0, c22);
                c23 = TOps.MultiplyAdd(TOps.Broadcast(p[23 * L]), b0, c23);
            }
        }

        TOps.Store(c0, c);
        if (rows > 1) { TOps.Store(c1, c + ldc); }
        if (rows > 2) { TOps.Store(c2, c + (2 * ldc)); }
        if (rows > 3) { TOps.Store(c3, c + (3 * ldc)); }
        if (rows > 4) { TOps.Store(c4, c + (4 * ldc)); }
        if (rows > 5) { TOps.Store(c5, c + (5 * ldc)); }
        if (rows > 6) { TOps.Store(c6, c + (6 * ldc)); }
        if (rows > 7) { TOps.Store(c7, c + (7 * ldc)); }
        if (rows > 8) { TOps.Store(c8, c + (8 * ldc)); }
        if (rows > 9) { TOps.Store(c9, c + (9 * ldc)); }
        if (rows > 10) { TOps.Store(c10, c + (10 * ldc)); }
        if (rows > 11) { TOps.Store(c11, c + (11 * ldc)); }
        if (rows > 12) { TOps.Store(c12, c + (12 * ldc)); }
        if (rows > 13) { TOps.Store(c13, c + (13 * ldc)); }
        if (rows > 14) { TOps.Store(c14, c + (14 * ldc)); }
        if (rows > 15) { TOps.Store(c15, c + (15 * ldc)); }
        if (rows > 16) { TOps.Store(c16, c + (16 * ldc)); }
        if (rows > 17) { TOps.Store(c17, c + (17 * ldc)); }
        if (rows > 18) { TOps.Store(c18, c + (18 * ldc)); }
        if (rows > 19) { TOps.Store(c19, c + (19 * ldc)); }
        if (rows > 20) { TOps.Store(c20, c + (20 * ldc)); }
        if (rows > 21) { TOps.Store(c21, c + (21 * ldc)); }
        if (rows > 22) { TOps.Store(c22, c + (22 * ldc)); }
        if (rows > 23) { TOps.Store(c23, c + (23 * ldc)); }
    }
}
