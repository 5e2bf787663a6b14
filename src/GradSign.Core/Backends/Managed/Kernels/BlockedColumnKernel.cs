using System.Numerics;
using System.Runtime.CompilerServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// GEMM micro-kernel with a long reduction and a channel-blocked right operand, accumulating into C:
/// <c>C[r, j] += Σ_t A[t, r] · B[t, j]</c>, where A is row-major with row stride <c>lda</c> (so rows r of one step t are
/// consecutive elements) and B is stored in blocks of L = 16 columns (<see cref="WinogradTiles.L"/>),
/// <c>B[t, j] = b[(j / L)·blockStride + t·L + j mod L]</c>. C is row-major with row stride <c>ldc</c>.
/// </summary>
/// <remarks>
/// <para>This is the Winograd weight gradient's product: t runs over tiles (of several samples), r over output channels
/// (A = transformed output gradients) and j over input channels (B = transformed inputs, in the blocks the input
/// transform writes).</para>
/// <para>Lane layout: a register holds consecutive columns j of one row of C (with 512-bit registers, one block of B);
/// every A element is broadcast, from a fixed displacement r per row. With 512-bit registers (AVX-512, 32 registers)
/// tiles keep 24 accumulators (6 rows × 4 registers, 12 × 2, 24 × 1, or 16 × 1 for the last ≤ 16 rows); with
/// narrower ones (AVX2, 16 registers) one tile of 6 rows × 2 registers (12 accumulators). Accumulators are
/// loaded from C before the reduction and stored after it. Rows past <c>rows</c> must be readable in A (the caller pads
/// A's rows to a multiple of 24) and are computed but not stored.</para>
/// <para>Scalar equivalent: <c>for r, j: s = C[r,j]; for t in 0..T−1: s = fma(A[t,r], B[t,j], s); C[r,j] = s</c> (t
/// ascending whatever the tiles, so every register width gives the same bits).</para>
/// </remarks>
internal static unsafe class BlockedColumnKernel
{
    /// <summary>A's rows (its columns r) must be readable up to a multiple of this.</summary>
    public const int RowMultiple = 24;

    private const int L = WinogradTiles.L;

    /// <summary>Adds the products over t in [0, steps) into rows [0, rows) and columns [0, columns) of C (columns a multiple of L).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<T, TVec, TOps>(T* a, int lda, T* b, long blockStride, int steps, T* c, int ldc, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        // The wide tiles address B one block per register.
        if (TOps.Count == L)
        {
            RunWide<T, TVec, TOps>(a, lda, b, blockStride, steps, c, ldc, rows, columns);
        }
        else
        {
            RunNarrow<T, TVec, TOps>(a, lda, b, blockStride, steps, c, ldc, rows, columns);
        }
    }

    /// <summary><see cref="Run"/> on registers narrower than a block: 6 × 2-register tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RunNarrow<T, TVec, TOps>(T* a, int lda, T* b, long blockStride, int steps, T* c, int ldc, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        for (var col = 0; col < columns; col += 2 * v)
        {
            T* b0 = b + ((col / L) * blockStride) + (col % L), b1 = b + (((col + v) / L) * blockStride) + ((col + v) % L);
            for (var r = 0; r < rows; r += 6)
            {
                Tile6x2<T, TVec, TOps>(a + r, lda, b0, b1, steps, c + ((long)r * ldc) + col, ldc, Math.Min(6, rows - r));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x2<T, TVec, TOps>(T* a, int lda, T* b0, T* b1, int steps, T* c, int ldc, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        TVec c00 = Row(c, ldc, 0, 0, rows), c01 = Row(c, ldc, 0, 1, rows), c10 = Row(c, ldc, 1, 0, rows), c11 = Row(c, ldc, 1, 1, rows);
        TVec c20 = Row(c, ldc, 2, 0, rows), c21 = Row(c, ldc, 2, 1, rows), c30 = Row(c, ldc, 3, 0, rows), c31 = Row(c, ldc, 3, 1, rows);
        TVec c40 = Row(c, ldc, 4, 0, rows), c41 = Row(c, ldc, 4, 1, rows), c50 = Row(c, ldc, 5, 0, rows), c51 = Row(c, ldc, 5, 1, rows);
        for (var t = 0; t < steps; t++)
        {
            var o = (long)t * L;
            var x0 = TOps.Load(b0 + o);
            var x1 = TOps.Load(b1 + o);
            var p = a + ((long)t * lda);
            var s = TOps.Broadcast(p[0]);
            c00 = TOps.MultiplyAdd(s, x0, c00); c01 = TOps.MultiplyAdd(s, x1, c01);
            s = TOps.Broadcast(p[1]);
            c10 = TOps.MultiplyAdd(s, x0, c10); c11 = TOps.MultiplyAdd(s, x1, c11);
            s = TOps.Broadcast(p[2]);
            c20 = TOps.MultiplyAdd(s, x0, c20); c21 = TOps.MultiplyAdd(s, x1, c21);
            s = TOps.Broadcast(p[3]);
            c30 = TOps.MultiplyAdd(s, x0, c30); c31 = TOps.MultiplyAdd(s, x1, c31);
            s = TOps.Broadcast(p[4]);
            c40 = TOps.MultiplyAdd(s, x0, c40); c41 = TOps.MultiplyAdd(s, x1, c41);
            s = TOps.Broadcast(p[5]);
            c50 = TOps.MultiplyAdd(s, x0, c50); c51 = TOps.MultiplyAdd(s, x1, c51);
        }

        Put(c, ldc, 0, c00, c01, rows); Put(c, ldc, 1, c10, c11, rows); Put(c, ldc, 2, c20, c21, rows);
        Put(c, ldc, 3, c30, c31, rows); Put(c, ldc, 4, c40, c41, rows); Put(c, ldc, 5, c50, c51, rows);

        static TVec Row(T* c, int ldc, int r, int register, int rows) => r < rows ? TOps.Load(c + ((long)r * ldc) + (register * TOps.Count)) : TOps.Zero;

        static void Put(T* c, int ldc, int r, TVec x0, TVec x1, int rows)
        {
            if (r < rows)
            {
                TOps.Store(x0, c + ((long)r * ldc));
                TOps.Store(x1, c + ((long)r * ldc) + TOps.Count);
            }
        }
    }

    /// <summary><see cref="Run"/> on 512-bit registers (one block each): 24-accumulator tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RunWide<T, TVec, TOps>(T* a, int lda, T* b, long blockStride, int steps, T* c, int ldc, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        var col = 0;
        for (; col + (4 * v) <= columns; col += 4 * v)
        {
            for (var r = 0; r < rows; r += 6)
            {
                Tile6x4<T, TVec, TOps>(a + r, lda, b + (col / v * blockStride), blockStride, steps, c + ((long)r * ldc) + col, ldc, Math.Min(6, rows - r));
            }
        }

        for (; col + (2 * v) <= columns; col += 2 * v)
        {
            for (var r = 0; r < rows; r += 12)
            {
                Tile12x2<T, TVec, TOps>(a + r, lda, b + (col / v * blockStride), blockStride, steps, c + ((long)r * ldc) + col, ldc, Math.Min(12, rows - r));
            }
        }

        for (; col < columns; col += v)
        {
            var r = 0;
            for (; rows - r > 16; r += 24)
            {
                Tile24x1<T, TVec, TOps>(a + r, lda, b + (col / v * blockStride), steps, c + ((long)r * ldc) + col, ldc, Math.Min(24, rows - r));
            }

            if (r < rows)
            {
                // At most 16 rows left (16 output channels: the common case): 16 accumulators waste nothing.
                Tile16x1<T, TVec, TOps>(a + r, lda, b + (col / v * blockStride), steps, c + ((long)r * ldc) + col, ldc, rows - r);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x4<T, TVec, TOps>(T* a, int lda, T* b, long blockStride, int steps, T* c, int ldc, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        TVec c00 = Row(c, ldc, 0, 0, rows), c01 = Row(c, ldc, 0, 1, rows), c02 = Row(c, ldc, 0, 2, rows), c03 = Row(c, ldc, 0, 3, rows);
        TVec c10 = Row(c, ldc, 1, 0, rows), c11 = Row(c, ldc, 1, 1, rows), c12 = Row(c, ldc, 1, 2, rows), c13 = Row(c, ldc, 1, 3, rows);
        TVec c20 = Row(c, ldc, 2, 0, rows), c21 = Row(c, ldc, 2, 1, rows), c22 = Row(c, ldc, 2, 2, rows), c23 = Row(c, ldc, 2, 3, rows);
        TVec c30 = Row(c, ldc, 3, 0, rows), c31 = Row(c, ldc, 3, 1, rows), c32 = Row(c, ldc, 3, 2, rows), c33 = Row(c, ldc, 3, 3, rows);
        TVec c40 = Row(c, ldc, 4, 0, rows), c41 = Row(c, ldc, 4, 1, rows), c42 = Row(c, ldc, 4, 2, rows), c43 = Row(c, ldc, 4, 3, rows);
        TVec c50 = Row(c, ldc, 5, 0, rows), c51 = Row(c, ldc, 5, 1, rows), c52 = Row(c, ldc, 5, 2, rows), c53 = Row(c, ldc, 5, 3, rows);
        T* b0 = b, b1 = b + blockStride, b2 = b + (2 * blockStride), b3 = b + (3 * blockStride);
        for (var t = 0; t < steps; t++)
        {
            var o = (long)t * v;
            var x0 = TOps.Load(b0 + o);
            var x1 = TOps.Load(b1 + o);
            var x2 = TOps.Load(b2 + o);
            var x3 = TOps.Load(b3 + o);
            var p = a + ((long)t * lda);
            var s = TOps.Broadcast(p[0]);
            c00 = TOps.MultiplyAdd(s, x0, c00); c01 = TOps.MultiplyAdd(s, x1, c01); c02 = TOps.MultiplyAdd(s, x2, c02); c03 = TOps.MultiplyAdd(s, x3, c03);
            s = TOps.Broadcast(p[1]);
            c10 = TOps.MultiplyAdd(s, x0, c10); c11 = TOps.MultiplyAdd(s, x1, c11); c12 = TOps.MultiplyAdd(s, x2, c12); c13 = TOps.MultiplyAdd(s, x3, c13);
            s = TOps.Broadcast(p[2]);
            c20 = TOps.MultiplyAdd(s, x0, c20); c21 = TOps.MultiplyAdd(s, x1, c21); c22 = TOps.MultiplyAdd(s, x2, c22); c23 = TOps.MultiplyAdd(s, x3, c23);
            s = TOps.Broadcast(p[3]);
            c30 = TOps.MultiplyAdd(s, x0, c30); c31 = TOps.MultiplyAdd(s, x1, c31); c32 = TOps.MultiplyAdd(s, x2, c32); c33 = TOps.MultiplyAdd(s, x3, c33);
            s = TOps.Broadcast(p[4]);
            c40 = TOps.MultiplyAdd(s, x0, c40); c41 = TOps.MultiplyAdd(s, x1, c41); c42 = TOps.MultiplyAdd(s, x2, c42); c43 = TOps.MultiplyAdd(s, x3, c43);
            s = TOps.Broadcast(p[5]);
            c50 = TOps.MultiplyAdd(s, x0, c50); c51 = TOps.MultiplyAdd(s, x1, c51); c52 = TOps.MultiplyAdd(s, x2, c52); c53 = TOps.MultiplyAdd(s, x3, c53);
        }

        Put(c, c00, c01, c02, c03);
        if (rows > 1) { Put(c + ldc, c10, c11, c12, c13); }
        if (rows > 2) { Put(c + (2 * ldc), c20, c21, c22, c23); }
        if (rows > 3) { Put(c + (3 * ldc), c30, c31, c32, c33); }
        if (rows > 4) { Put(c + (4 * ldc), c40, c41, c42, c43); }
        if (rows > 5) { Put(c + (5 * ldc), c50, c51, c52, c53); }

        static TVec Row(T* c, int ldc, int r, int register, int rows) => r < rows ? TOps.Load(c + ((long)r * ldc) + (register * TOps.Count)) : TOps.Zero;

        static void Put(T* row, TVec x0, TVec x1, TVec x2, TVec x3)
        {
            var w = TOps.Count;
            TOps.Store(x0, row);
            TOps.Store(x1, row + w);
            TOps.Store(x2, row + (2 * w));
            TOps.Store(x3, row + (3 * w));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile12x2<T, TVec, TOps>(T* a, int lda, T* b, long blockStride, int steps, T* c, int ldc, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        TVec c00 = Row(c, ldc, 0, 0, rows), c01 = Row(c, ldc, 0, 1, rows), c10 = Row(c, ldc, 1, 0, rows), c11 = Row(c, ldc, 1, 1, rows);
        TVec c20 = Row(c, ldc, 2, 0, rows), c21 = Row(c, ldc, 2, 1, rows), c30 = Row(c, ldc, 3, 0, rows), c31 = Row(c, ldc, 3, 1, rows);
        TVec c40 = Row(c, ldc, 4, 0, rows), c41 = Row(c, ldc, 4, 1, rows), c50 = Row(c, ldc, 5, 0, rows), c51 = Row(c, ldc, 5, 1, rows);
        TVec c60 = Row(c, ldc, 6, 0, rows), c61 = Row(c, ldc, 6, 1, rows), c70 = Row(c, ldc, 7, 0, rows), c71 = Row(c, ldc, 7, 1, rows);
        TVec c80 = Row(c, ldc, 8, 0, rows), c81 = Row(c, ldc, 8, 1, rows), c90 = Row(c, ldc, 9, 0, rows), c91 = Row(c, ldc, 9, 1, rows);
        TVec ca0 = Row(c, ldc, 10, 0, rows), ca1 = Row(c, ldc, 10, 1, rows), cb0 = Row(c, ldc, 11, 0, rows), cb1 = Row(c, ldc, 11, 1, rows);
        T* b0 = b, b1 = b + blockStride;
        for (var t = 0; t < steps; t++)
        {
            var o = (long)t * v;
            var x0 = TOps.Load(b0 + o);
            var x1 = TOps.Load(b1 + o);
            var p = a + ((long)t * lda);
            var s = TOps.Broadcast(p[0]);
            c00 = TOps.MultiplyAdd(s, x0, c00); c01 = TOps.MultiplyAdd(s, x1, c01);
            s = TOps.Broadcast(p[1]);
            c10 = TOps.MultiplyAdd(s, x0, c10); c11 = TOps.MultiplyAdd(s, x1, c11);
            s = TOps.Broadcast(p[2]);
            c20 = TOps.MultiplyAdd(s, x0, c20); c21 = TOps.MultiplyAdd(s, x1, c21);
            s = TOps.Broadcast(p[3]);
            c30 = TOps.MultiplyAdd(s, x0, c30); c31 = TOps.MultiplyAdd(s, x1, c31);
            s = TOps.Broadcast(p[4]);
            c40 = TOps.MultiplyAdd(s, x0, c40); c41 = TOps.MultiplyAdd(s, x1, c41);
            s = TOps.Broadcast(p[5]);
            c50 = TOps.MultiplyAdd(s, x0, c50); c51 = TOps.MultiplyAdd(s, x1, c51);
            s = TOps.Broadcast(p[6]);
            c60 = TOps.MultiplyAdd(s, x0, c60); c61 = TOps.MultiplyAdd(s, x1, c61);
            s = TOps.Broadcast(p[7]);
            c70 = TOps.MultiplyAdd(s, x0, c70); c71 = TOps.MultiplyAdd(s, x1, c71);
            s = TOps.Broadcast(p[8]);
            c80 = TOps.MultiplyAdd(s, x0, c80); c81 = TOps.MultiplyAdd(s, x1, c81);
            s = TOps.Broadcast(p[9]);
            c90 = TOps.MultiplyAdd(s, x0, c90); c91 = TOps.MultiplyAdd(s, x1, c91);
            s = TOps.Broadcast(p[10]);
            ca0 = TOps.MultiplyAdd(s, x0, ca0); ca1 = TOps.MultiplyAdd(s, x1, ca1);
            s = TOps.Broadcast(p[11]);
            cb0 = TOps.MultiplyAdd(s, x0, cb0); cb1 = TOps.MultiplyAdd(s, x1, cb1);
        }

        Put(c, ldc, 0, c00, c01, rows); Put(c, ldc, 1, c10, c11, rows); Put(c, ldc, 2, c20, c21, rows); Put(c, ldc, 3, c30, c31, rows);
        Put(c, ldc, 4, c40, c41, rows); Put(c, ldc, 5, c50, c51, rows); Put(c, ldc, 6, c60, c61, rows); Put(c, ldc, 7, c70, c71, rows);
        Put(c, ldc, 8, c80, c81, rows); Put(c, ldc, 9, c90, c91, rows); Put(c, ldc, 10, ca0, ca1, rows); Put(c, ldc, 11, cb0, cb1, rows);

        static TVec Row(T* c, int ldc, int r, int register, int rows) => r < rows ? TOps.Load(c + ((long)r * ldc) + (register * TOps.Count)) : TOps.Zero;

        static void Put(T* c, int ldc, int r, TVec x0, TVec x1, int rows)
        {
            if (r < rows)
            {
                TOps.Store(x0, c + ((long)r * ldc));
                TOps.Store(x1, c + ((long)r * ldc) + TOps.Count);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile16x1<T, TVec, TOps>(T* a, int lda, T* b, int steps, T* c, int ldc, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        TVec c0 = Row(c, ldc, 0, rows), c1 = Row(c, ldc, 1, rows), c2 = Row(c, ldc, 2, rows), c3 = Row(c, ldc, 3, rows);
        TVec c4 = Row(c, ldc, 4, rows), c5 = Row(c, ldc, 5, rows), c6 = Row(c, ldc, 6, rows), c7 = Row(c, ldc, 7, rows);
        TVec c8 = Row(c, ldc, 8, rows), c9 = Row(c, ldc, 9, rows), c10 = Row(c, ldc, 10, rows), c11 = Row(c, ldc, 11, rows);
        TVec c12 = Row(c, ldc, 12, rows), c13 = Row(c, ldc, 13, rows), c14 = Row(c, ldc, 14, rows), c15 = Row(c, ldc, 15, rows);
        for (var t = 0; t < steps; t++)
        {
            var x = TOps.Load(b + ((long)t * v));
            var p = a + ((long)t * lda);
            c0 = TOps.MultiplyAdd(TOps.Broadcast(p[0]), x, c0);
            c1 = TOps.MultiplyAdd(TOps.Broadcast(p[1]), x, c1);
            c2 = TOps.MultiplyAdd(TOps.Broadcast(p[2]), x, c2);
            c3 = TOps.MultiplyAdd(TOps.Broadcast(p[3]), x, c3);
            c4 = TOps.MultiplyAdd(TOps.Broadcast(p[4]), x, c4);
            c5 = TOps.MultiplyAdd(TOps.Broadcast(p[5]), x, c5);
            c6 = TOps.MultiplyAdd(TOps.Broadcast(p[6]), x, c6);
            c7 = TOps.MultiplyAdd(TOps.Broadcast(p[7]), x, c7);
            c8 = TOps.MultiplyAdd(TOps.Broadcast(p[8]), x, c8);
            c9 = TOps.MultiplyAdd(TOps.Broadcast(p[9]), x, c9);
            c10 = TOps.MultiplyAdd(TOps.Broadcast(p[10]), x, c10);
            c11 = TOps.MultiplyAdd(TOps.Broadcast(p[11]), x, c11);
            c12 = TOps.MultiplyAdd(TOps.Broadcast(p[12]), x, c12);
            c13 = TOps.MultiplyAdd(TOps.Broadcast(p[13]), x, c13);
            c14 = TOps.MultiplyAdd(TOps.Broadcast(p[14]), x, c14);
            c15 = TOps.MultiplyAdd(TOps.Broadcast(p[15]), x, c15);
        }

        Put(c, ldc, 0, c0, rows); Put(c, ldc, 1, c1, rows); Put(c, ldc, 2, c2, rows); Put(c, ldc, 3, c3, rows);
        Put(c, ldc, 4, c4, rows); Put(c, ldc, 5, c5, rows); Put(c, ldc, 6, c6, rows); Put(c, ldc, 7, c7, rows);
        Put(c, ldc, 8, c8, rows); Put(c, ldc, 9, c9, rows); Put(c, ldc, 10, c10, rows); Put(c, ldc, 11, c11, rows);
        Put(c, ldc, 12, c12, rows); Put(c, ldc, 13, c13, rows); Put(c, ldc, 14, c14, rows); Put(c, ldc, 15, c15, rows);

        static TVec Row(T* c, int ldc, int r, int rows) => r < rows ? TOps.Load(c + ((long)r * ldc)) : TOps.Zero;

        static void Put(T* c, int ldc, int r, TVec x, int rows)
        {
            if (r < rows)
            {
                TOps.Store(x, c + ((long)r * ldc));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile24x1<T, TVec, TOps>(T* a, int lda, T* b, int steps, T* c, int ldc, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        TVec c0 = Row(c, ldc, 0, rows), c1 = Row(c, ldc, 1, rows), c2 = Row(c, ldc, 2, rows), c3 = Row(c, ldc, 3, rows);
        TVec c4 = Row(c, ldc, 4, rows), c5 = Row(c, ldc, 5, rows), c6 = Row(c, ldc, 6, rows), c7 = Row(c, ldc, 7, rows);
        TVec c8 = Row(c, ldc, 8, rows), c9 = Row(c, ldc, 9, rows), c10 = Row(c, ldc, 10, rows), c11 = Row(c, ldc, 11, rows);
        TVec c12 = Row(c, ldc, 12, rows), c13 = Row(c, ldc, 13, rows), c14 = Row(c, ldc, 14, rows), c15 = Row(c, ldc, 15, rows);
        TVec c16 = Row(c, ldc, 16, rows), c17 = Row(c, ldc, 17, rows), c18 = Row(c, ldc, 18, rows), c19 = Row(c, ldc, 19, rows);
        TVec c20 = Row(c, ldc, 20, rows), c21 = Row(c, ldc, 21, rows), c22 = Row(c, ldc, 22, rows), c23 = Row(c, ldc, 23, rows);
        for (var t = 0; t < steps; t++)
        {
            var x = TOps.Load(b + ((long)t * v));
            var p = a + ((long)t * lda);
            c0 = TOps.MultiplyAdd(TOps.Broadcast(p[0]), x, c0);
            c1 = TOps.MultiplyAdd(TOps.Broadcast(p[1]), x, c1);
            c2 = TOps.MultiplyAdd(TOps.Broadcast(p[2]), x, c2);
            c3 = TOps.MultiplyAdd(TOps.Broadcast(p[3]), x, c3);
            c4 = TOps.MultiplyAdd(TOps.Broadcast(p[4]), x, c4);
            c5 = TOps.MultiplyAdd(TOps.Broadcast(p[5]), x, c5);
            c6 = TOps.MultiplyAdd(TOps.Broadcast(p[6]), x, c6);
            c7 = TOps.MultiplyAdd(TOps.Broadcast(p[7]), x, c7);
            c8 = TOps.MultiplyAdd(TOps.Broadcast(p[8]), x, c8);
            c9 = TOps.MultiplyAdd(TOps.Broadcast(p[9]), x, c9);
            c10 = TOps.MultiplyAdd(TOps.Broadcast(p[10]), x, c10);
            c11 = TOps.MultiplyAdd(TOps.Broadcast(p[11]), x, c11);
            c12 = TOps.MultiplyAdd(TOps.Broadcast(p[12]), x, c12);
            c13 = TOps.MultiplyAdd(TOps.Broadcast(p[13]), x, c13);
            c14 = TOps.MultiplyAdd(TOps.Broadcast(p[14]), x, c14);
            c15 = TOps.MultiplyAdd(TOps.Broadcast(p[15]), x, c15);
            c16 = TOps.MultiplyAdd(TOps.Broadcast(p[16]), x, c16);
            c17 = TOps.MultiplyAdd(TOps.Broadcast(p[17]), x, c17);
            c18 = TOps.MultiplyAdd(TOps.Broadcast(p[18]), x, c18);
            c19 = TOps.MultiplyAdd(TOps.Broadcast(p[19]), x, c19);
            c20 = TOps.MultiplyAdd(TOps.Broadcast(p[20]), x, c20);
            c21 = TOps.MultiplyAdd(TOps.Broadcast(p[21]), x, c21);
            c22 = TOps.MultiplyAdd(TOps.Broadcast(p[22]), x, c22);
            c23 = TOps.MultiplyAdd(TOps.Broadcast(p[23]), x, c23);
        }

        Put(c, ldc, 0, c0, rows); Put(c, ldc, 1, c1, rows); Put(c, ldc, 2, c2, rows); Put(c, ldc, 3, c3, rows);
        Put(c, ldc, 4, c4, rows); Put(c, ldc, 5, c5, rows); Put(c, ldc, 6, c6, rows); Put(c, ldc, 7, c7, rows);
        Put(c, ldc, 8, c8, rows); Put(c, ldc, 9, c9, rows); Put(c, ldc, 10, c10, rows); Put(c, ldc, 11, c11, rows);
        Put(c, ldc, 12, c12, rows); Put(c, ldc, 13, c13, rows); Put(c, ldc, 14, c14, rows); Put(c, ldc, 15, c15, rows);
        Put(c, ldc, 16, c16, rows); Put(c, ldc, 17, c17, rows); Put(c, ldc, 18, c18, rows); Put(c, ldc, 19, c19, rows);
        Put(c, ldc, 20, c20, rows); Put(c, ldc, 21, c21, rows); Put(c, ldc, 22, c22, rows); Put(c, ldc, 23, c23, rows);

        static TVec Row(T* c, int ldc, int r, int rows) => r < rows ? TOps.Load(c + ((long)r * ldc)) : TOps.Zero;

        static void Put(T* c, int ldc, int r, TVec x, int rows)
        {
            if (r < rows)
            {
                TOps.Store(x, c + ((long)r * ldc));
            }
        }
    }
}
