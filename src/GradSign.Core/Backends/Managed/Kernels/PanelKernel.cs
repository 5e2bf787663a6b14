using System.Numerics;
using System.Runtime.CompilerServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// The register-blocked GEMM micro-kernel shared by <see cref="Gemm"/>, the convolution forward pass and the
/// backward-data pass: <c>C[r, j] (+)= Σ_kk A[kk, r] · B[kk, j]</c> for one panel of <see cref="Rows"/> rows of C.
/// </summary>
/// <remarks>
/// <para>A is a packed panel, <c>aPanel[kk·Rows + r]</c> (rows past the matrix end are zero, see <see cref="ConvPacking.PackRowPanels{T}"/>),
/// so one 8-float line holds the 8 row coefficients of one kk: each is broadcast to a full register.</para>
/// <para>B is addressed through a row-offset table: row kk starts at <c>b + offsets[kk]</c> and its columns are contiguous.
/// This lets the same kernel read an ordinary row-major matrix (<c>offsets[kk] = kk·ldb</c>), an im2col buffer, or —
/// the "implicit im2col" of a stride-1 convolution — a zero-padded input image flattened with row stride <c>Wp</c>, where tap
/// (c, i, j) is the row starting at <c>c·Hp·Wp + i·Wp + j</c> and output pixel (y, x) is column <c>y·Wp + x</c>.</para>
/// <para>Lane layout: one register holds <c>Count</c> consecutive columns j of one row (with <c>RowPanelSlots</c>, a tile's
/// registers are consecutive in C, but each reads its own displacement of the B row). With 32 vector registers
/// (AVX-512 CPUs, at either width) the 8×3 tile keeps 24 accumulators (8 × 48 floats with AVX-512), which with 3 B
/// registers and one broadcast uses 28 of them; per kk it issues 3 loads + 8 broadcasts for 24 FMAs. With 16 registers
/// (AVX2, SSE) that tile would spill on every step, so the panel runs as two 4-row halves of 4×3 tiles (12 accumulators,
/// 3 B registers, one broadcast: all 16), the second half re-reading the same B columns from L1.</para>
/// <para>Column tail: full 3-register blocks, then at most one 2-register block, then single-register blocks, then one overlapped register at
/// <c>width − Count</c> whose lower lanes (already done) are masked out of the store; rows narrower than one register
/// use the scalar instantiation. No load ever leaves <c>[offsets[kk], offsets[kk] + width)</c>.</para>
/// <para>Scalar equivalent: <c>for r, j: s = Σ_kk aPanel[kk*8+r] * b[offsets[kk]+j]; c[r*ldc+j] = accumulate ? c[r*ldc+j] + s : s</c>
/// (the kk sum runs in order 0..k−1 for every element, so results do not depend on the blocking).</para>
/// </remarks>
internal static unsafe class PanelKernel
{
    /// <summary>Rows of C per packed A panel.</summary>
    public const int Rows = 8;

    /// <summary>Rows in one half of a panel (the 16-register tiles).</summary>
    private const int Half = Rows / 2;

    /// <summary>Computes columns <c>[0, width)</c> of one row panel (<paramref name="rows"/> ≤ 8 valid rows) with the widest
    /// registers <typeparamref name="TOps"/> offers, in the tiles that fit the register file, falling back to scalar code
    /// for a panel narrower than one register.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RowPanel<T, TVec, TOps>(T* aPanel, T* b, int* offsets, int kDim, T* c, int ldc, int rows, int width, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
        => RowPanel<T, TVec, TOps>(aPanel, b, offsets, kDim, c, ldc, rows, width, accumulate, RegisterFile.HoldsWideTiles<TVec>());

    /// <summary><see cref="RowPanel{T, TVec, TOps}(T*, T*, int*, int, T*, int, int, int, bool)"/> with the tiles chosen by
    /// <paramref name="wideTiles"/> (tests run both on any machine): 3- and 2-register column blocks as 8-row tiles (24 and
    /// 16 accumulators: 32 registers), or as two 4-row halves (12 and 8: 16 registers); single registers as 8-row tiles
    /// (8 accumulators) either way.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip tier-0
    internal static void RowPanel<T, TVec, TOps>(T* aPanel, T* b, int* offsets, int kDim, T* c, int ldc, int rows, int width, bool accumulate, bool wideTiles)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        if (width < v)
        {
            for (var j = 0; j < width; j++)
            {
                Tile1<T, T, ScalarOps<T>>(aPanel, b + j, offsets, kDim, c + j, ldc, rows, accumulate, 0);
            }

            return;
        }

        var col = 0;
        for (; col + (3 * v) <= width; col += 3 * v)
        {
            Block3<T, TVec, TOps>(aPanel, b + col, v, 2 * v, offsets, kDim, c + col, ldc, rows, accumulate, wideTiles);
        }

        if (col + (2 * v) <= width)
        {
            Block2<T, TVec, TOps>(aPanel, b + col, v, offsets, kDim, c + col, ldc, rows, accumulate, wideTiles);
            col += 2 * v;
        }

        for (; col + v <= width; col += v)
        {
            Tile1<T, TVec, TOps>(aPanel, b + col, offsets, kDim, c + col, ldc, rows, accumulate, 0);
        }

        if (col < width)
        {
            // Overlapped tail: recompute the last full register ending at `width`; lanes below `col` are already final.
            var start = width - v;
            Tile1<T, TVec, TOps>(aPanel, b + start, offsets, kDim, c + start, ldc, rows, accumulate, col - start);
        }
    }

    /// <summary>
    /// <see cref="RowPanel{T, TVec, TOps}(T*, T*, int*, int, T*, int, int, int, bool)"/> for a convolution whose GEMM
    /// columns have a row stride (<paramref name="bRowStride"/>) wider than its output rows (<paramref name="outWidth"/>,
    /// a multiple of the register): the tiles run over whole-register slots of the compact output instead of over the
    /// B columns, so the columns between output rows are never computed and C is the output plane itself. Slot s holds
    /// output pixels [s·v, s·v + v) and reads B at column <c>(s·v / outWidth)·bRowStride + s·v mod outWidth</c>; a tile's
    /// registers are consecutive slots, consecutive in C but possibly a row apart in B. Slots [firstSlot, endSlot).
    /// </summary>
    /// <remarks>Each element's kk sum runs in the same order as in <c>RowPanel</c>, so both give the same bits.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RowPanelSlots<T, TVec, TOps>(T* aPanel, T* b, int* offsets, int kDim, T* c, int ldc, int rows, int firstSlot, int endSlot, int outWidth, int bRowStride, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
        => RowPanelSlots<T, TVec, TOps>(aPanel, b, offsets, kDim, c, ldc, rows, firstSlot, endSlot, outWidth, bRowStride, accumulate, RegisterFile.HoldsWideTiles<TVec>());

    /// <summary><see cref="RowPanelSlots{T, TVec, TOps}(T*, T*, int*, int, T*, int, int, int, int, int, int, bool)"/> with
    /// the tiles chosen by <paramref name="wideTiles"/>, as for <c>RowPanel</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RowPanelSlots<T, TVec, TOps>(T* aPanel, T* b, int* offsets, int kDim, T* c, int ldc, int rows, int firstSlot, int endSlot, int outWidth, int bRowStride, bool accumulate, bool wideTiles)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        var slot = firstSlot;
        for (; slot + 3 <= endSlot; slot += 3)
        {
            var b0 = Column(slot);
            Block3<T, TVec, TOps>(aPanel, b + b0, Column(slot + 1) - b0, Column(slot + 2) - b0, offsets, kDim, c + ((long)slot * v), ldc, rows, accumulate, wideTiles);
        }

        if (slot + 2 <= endSlot)
        {
            var b0 = Column(slot);
            Block2<T, TVec, TOps>(aPanel, b + b0, Column(slot + 1) - b0, offsets, kDim, c + ((long)slot * v), ldc, rows, accumulate, wideTiles);
            slot += 2;
        }

        if (slot < endSlot)
        {
            Tile1<T, TVec, TOps>(aPanel, b + Column(slot), offsets, kDim, c + ((long)slot * v), ldc, rows, accumulate, 0);
        }

        int Column(int s) => ((s * v / outWidth) * bRowStride) + (s * v % outWidth);
    }

    /// <summary>Three registers of C (B registers 1 and 2 at <paramref name="b1"/>, <paramref name="b2"/> from register
    /// 0): one 8-row tile, or two 4-row halves, the lower one only where the panel has such rows (it re-reads the B
    /// block the upper half just brought into L1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block3<T, TVec, TOps>(T* aPanel, T* b, int b1, int b2, int* offsets, int kDim, T* c, int ldc, int rows, bool accumulate, bool wideTiles)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        if (wideTiles)
        {
            Tile3<T, TVec, TOps>(aPanel, b, b1, b2, offsets, kDim, c, ldc, rows, accumulate);
            return;
        }

        HalfTile3<T, TVec, TOps>(aPanel, b, b1, b2, offsets, kDim, c, ldc, Math.Min(rows, Half), accumulate);
        if (rows > Half)
        {
            HalfTile3<T, TVec, TOps>(aPanel + Half, b, b1, b2, offsets, kDim, c + (Half * ldc), ldc, rows - Half, accumulate);
        }
    }

    /// <summary>Two registers of C; see <see cref="Block3"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block2<T, TVec, TOps>(T* aPanel, T* b, int b1, int* offsets, int kDim, T* c, int ldc, int rows, bool accumulate, bool wideTiles)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        if (wideTiles)
        {
            Tile2<T, TVec, TOps>(aPanel, b, b1, offsets, kDim, c, ldc, rows, accumulate);
            return;
        }

        HalfTile2<T, TVec, TOps>(aPanel, b, b1, offsets, kDim, c, ldc, Math.Min(rows, Half), accumulate);
        if (rows > Half)
        {
            HalfTile2<T, TVec, TOps>(aPanel + Half, b, b1, offsets, kDim, c + (Half * ldc), ldc, rows - Half, accumulate);
        }
    }

    /// <summary>4 rows × 3 registers of a panel half: <paramref name="a"/> points at the half's first coefficient and still
    /// steps by <see cref="Rows"/> per kk.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HalfTile3<T, TVec, TOps>(T* a, T* b, int b1, int b2, int* offsets, int kDim, T* c, int ldc, int rows, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        TVec c00 = TOps.Zero, c01 = TOps.Zero, c02 = TOps.Zero;
        TVec c10 = TOps.Zero, c11 = TOps.Zero, c12 = TOps.Zero;
        TVec c20 = TOps.Zero, c21 = TOps.Zero, c22 = TOps.Zero;
        TVec c30 = TOps.Zero, c31 = TOps.Zero, c32 = TOps.Zero;
        for (var kk = 0; kk < kDim; kk++)
        {
            var row = b + offsets[kk];
            var r0 = TOps.Load(row);
            var r1 = TOps.Load(row + b1);
            var r2 = TOps.Load(row + b2);
            var x = TOps.Broadcast(a[0]);
            c00 = TOps.MultiplyAdd(x, r0, c00); c01 = TOps.MultiplyAdd(x, r1, c01); c02 = TOps.MultiplyAdd(x, r2, c02);
            x = TOps.Broadcast(a[1]);
            c10 = TOps.MultiplyAdd(x, r0, c10); c11 = TOps.MultiplyAdd(x, r1, c11); c12 = TOps.MultiplyAdd(x, r2, c12);
            x = TOps.Broadcast(a[2]);
            c20 = TOps.MultiplyAdd(x, r0, c20); c21 = TOps.MultiplyAdd(x, r1, c21); c22 = TOps.MultiplyAdd(x, r2, c22);
            x = TOps.Broadcast(a[3]);
            c30 = TOps.MultiplyAdd(x, r0, c30); c31 = TOps.MultiplyAdd(x, r1, c31); c32 = TOps.MultiplyAdd(x, r2, c32);
            a += Rows;
        }

        Store3<T, TVec, TOps>(c00, c01, c02, c, accumulate);
        if (rows > 1) { Store3<T, TVec, TOps>(c10, c11, c12, c + ldc, accumulate); }
        if (rows > 2) { Store3<T, TVec, TOps>(c20, c21, c22, c + (2 * ldc), accumulate); }
        if (rows > 3) { Store3<T, TVec, TOps>(c30, c31, c32, c + (3 * ldc), accumulate); }
    }

    /// <summary>4 rows × 2 registers of a panel half (see <see cref="HalfTile3"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HalfTile2<T, TVec, TOps>(T* a, T* b, int b1, int* offsets, int kDim, T* c, int ldc, int rows, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        TVec c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero;
        TVec c20 = TOps.Zero, c21 = TOps.Zero, c30 = TOps.Zero, c31 = TOps.Zero;
        for (var kk = 0; kk < kDim; kk++)
        {
            var row = b + offsets[kk];
            var r0 = TOps.Load(row);
            var r1 = TOps.Load(row + b1);
            var x = TOps.Broadcast(a[0]);
            c00 = TOps.MultiplyAdd(x, r0, c00); c01 = TOps.MultiplyAdd(x, r1, c01);
            x = TOps.Broadcast(a[1]);
            c10 = TOps.MultiplyAdd(x, r0, c10); c11 = TOps.MultiplyAdd(x, r1, c11);
            x = TOps.Broadcast(a[2]);
            c20 = TOps.MultiplyAdd(x, r0, c20); c21 = TOps.MultiplyAdd(x, r1, c21);
            x = TOps.Broadcast(a[3]);
            c30 = TOps.MultiplyAdd(x, r0, c30); c31 = TOps.MultiplyAdd(x, r1, c31);
            a += Rows;
        }

        Store1<T, TVec, TOps>(c00, c, accumulate, 0); Store1<T, TVec, TOps>(c01, c + v, accumulate, 0);
        if (rows > 1) { Store1<T, TVec, TOps>(c10, c + ldc, accumulate, 0); Store1<T, TVec, TOps>(c11, c + ldc + v, accumulate, 0); }
        if (rows > 2) { Store1<T, TVec, TOps>(c20, c + (2 * ldc), accumulate, 0); Store1<T, TVec, TOps>(c21, c + (2 * ldc) + v, accumulate, 0); }
        if (rows > 3) { Store1<T, TVec, TOps>(c30, c + (3 * ldc), accumulate, 0); Store1<T, TVec, TOps>(c31, c + (3 * ldc) + v, accumulate, 0); }
    }

    /// <summary>8 rows × 3 registers. See the class remarks for the layout.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile3<T, TVec, TOps>(T* a, T* b, int b1, int b2, int* offsets, int kDim, T* c, int ldc, int rows, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        TVec c00 = TOps.Zero, c01 = TOps.Zero, c02 = TOps.Zero;
        TVec c10 = TOps.Zero, c11 = TOps.Zero, c12 = TOps.Zero;
        TVec c20 = TOps.Zero, c21 = TOps.Zero, c22 = TOps.Zero;
        TVec c30 = TOps.Zero, c31 = TOps.Zero, c32 = TOps.Zero;
        TVec c40 = TOps.Zero, c41 = TOps.Zero, c42 = TOps.Zero;
        TVec c50 = TOps.Zero, c51 = TOps.Zero, c52 = TOps.Zero;
        TVec c60 = TOps.Zero, c61 = TOps.Zero, c62 = TOps.Zero;
        TVec c70 = TOps.Zero, c71 = TOps.Zero, c72 = TOps.Zero;
        for (var kk = 0; kk < kDim; kk++)
        {
            var row = b + offsets[kk];
            var r0 = TOps.Load(row);
            var r1 = TOps.Load(row + b1);
            var r2 = TOps.Load(row + b2);
            var x = TOps.Broadcast(a[0]);
            c00 = TOps.MultiplyAdd(x, r0, c00); c01 = TOps.MultiplyAdd(x, r1, c01); c02 = TOps.MultiplyAdd(x, r2, c02);
            x = TOps.Broadcast(a[1]);
            c10 = TOps.MultiplyAdd(x, r0, c10); c11 = TOps.MultiplyAdd(x, r1, c11); c12 = TOps.MultiplyAdd(x, r2, c12);
            x = TOps.Broadcast(a[2]);
            c20 = TOps.MultiplyAdd(x, r0, c20); c21 = TOps.MultiplyAdd(x, r1, c21); c22 = TOps.MultiplyAdd(x, r2, c22);
            x = TOps.Broadcast(a[3]);
            c30 = TOps.MultiplyAdd(x, r0, c30); c31 = TOps.MultiplyAdd(x, r1, c31); c32 = TOps.MultiplyAdd(x, r2, c32);
            x = TOps.Broadcast(a[4]);
            c40 = TOps.MultiplyAdd(x, r0, c40); c41 = TOps.MultiplyAdd(x, r1, c41); c42 = TOps.MultiplyAdd(x, r2, c42);
            x = TOps.Broadcast(a[5]);
            c50 = TOps.MultiplyAdd(x, r0, c50); c51 = TOps.MultiplyAdd(x, r1, c51); c52 = TOps.MultiplyAdd(x, r2, c52);
            x = TOps.Broadcast(a[6]);
            c60 = TOps.MultiplyAdd(x, r0, c60); c61 = TOps.MultiplyAdd(x, r1, c61); c62 = TOps.MultiplyAdd(x, r2, c62);
            x = TOps.Broadcast(a[7]);
            c70 = TOps.MultiplyAdd(x, r0, c70); c71 = TOps.MultiplyAdd(x, r1, c71); c72 = TOps.MultiplyAdd(x, r2, c72);
            a += Rows;
        }

        // Rows past the matrix end were computed from zero coefficients and are simply not stored.
        Store3<T, TVec, TOps>(c00, c01, c02, c, accumulate);
        if (rows > 1) { Store3<T, TVec, TOps>(c10, c11, c12, c + ldc, accumulate); }
        if (rows > 2) { Store3<T, TVec, TOps>(c20, c21, c22, c + (2 * ldc), accumulate); }
        if (rows > 3) { Store3<T, TVec, TOps>(c30, c31, c32, c + (3 * ldc), accumulate); }
        if (rows > 4) { Store3<T, TVec, TOps>(c40, c41, c42, c + (4 * ldc), accumulate); }
        if (rows > 5) { Store3<T, TVec, TOps>(c50, c51, c52, c + (5 * ldc), accumulate); }
        if (rows > 6) { Store3<T, TVec, TOps>(c60, c61, c62, c + (6 * ldc), accumulate); }
        if (rows > 7) { Store3<T, TVec, TOps>(c70, c71, c72, c + (7 * ldc), accumulate); }
    }

    /// <summary>8 rows × 2 registers (16 accumulators): the remainder after the 3-register blocks, e.g. a 32-float row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile2<T, TVec, TOps>(T* a, T* b, int b1, int* offsets, int kDim, T* c, int ldc, int rows, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        TVec c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero;
        TVec c20 = TOps.Zero, c21 = TOps.Zero, c30 = TOps.Zero, c31 = TOps.Zero;
        TVec c40 = TOps.Zero, c41 = TOps.Zero, c50 = TOps.Zero, c51 = TOps.Zero;
        TVec c60 = TOps.Zero, c61 = TOps.Zero, c70 = TOps.Zero, c71 = TOps.Zero;
        for (var kk = 0; kk < kDim; kk++)
        {
            var row = b + offsets[kk];
            var r0 = TOps.Load(row);
            var r1 = TOps.Load(row + b1);
            var x = TOps.Broadcast(a[0]);
            c00 = TOps.MultiplyAdd(x, r0, c00); c01 = TOps.MultiplyAdd(x, r1, c01);
            x = TOps.Broadcast(a[1]);
            c10 = TOps.MultiplyAdd(x, r0, c10); c11 = TOps.MultiplyAdd(x, r1, c11);
            x = TOps.Broadcast(a[2]);
            c20 = TOps.MultiplyAdd(x, r0, c20); c21 = TOps.MultiplyAdd(x, r1, c21);
            x = TOps.Broadcast(a[3]);
            c30 = TOps.MultiplyAdd(x, r0, c30); c31 = TOps.MultiplyAdd(x, r1, c31);
            x = TOps.Broadcast(a[4]);
            c40 = TOps.MultiplyAdd(x, r0, c40); c41 = TOps.MultiplyAdd(x, r1, c41);
            x = TOps.Broadcast(a[5]);
            c50 = TOps.MultiplyAdd(x, r0, c50); c51 = TOps.MultiplyAdd(x, r1, c51);
            x = TOps.Broadcast(a[6]);
            c60 = TOps.MultiplyAdd(x, r0, c60); c61 = TOps.MultiplyAdd(x, r1, c61);
            x = TOps.Broadcast(a[7]);
            c70 = TOps.MultiplyAdd(x, r0, c70); c71 = TOps.MultiplyAdd(x, r1, c71);
            a += Rows;
        }

        Store1<T, TVec, TOps>(c00, c, accumulate, 0); Store1<T, TVec, TOps>(c01, c + v, accumulate, 0);
        if (rows > 1) { Store1<T, TVec, TOps>(c10, c + ldc, accumulate, 0); Store1<T, TVec, TOps>(c11, c + ldc + v, accumulate, 0); }
        if (rows > 2) { Store1<T, TVec, TOps>(c20, c + (2 * ldc), accumulate, 0); Store1<T, TVec, TOps>(c21, c + (2 * ldc) + v, accumulate, 0); }
        if (rows > 3) { Store1<T, TVec, TOps>(c30, c + (3 * ldc), accumulate, 0); Store1<T, TVec, TOps>(c31, c + (3 * ldc) + v, accumulate, 0); }
        if (rows > 4) { Store1<T, TVec, TOps>(c40, c + (4 * ldc), accumulate, 0); Store1<T, TVec, TOps>(c41, c + (4 * ldc) + v, accumulate, 0); }
        if (rows > 5) { Store1<T, TVec, TOps>(c50, c + (5 * ldc), accumulate, 0); Store1<T, TVec, TOps>(c51, c + (5 * ldc) + v, accumulate, 0); }
        if (rows > 6) { Store1<T, TVec, TOps>(c60, c + (6 * ldc), accumulate, 0); Store1<T, TVec, TOps>(c61, c + (6 * ldc) + v, accumulate, 0); }
        if (rows > 7) { Store1<T, TVec, TOps>(c70, c + (7 * ldc), accumulate, 0); Store1<T, TVec, TOps>(c71, c + (7 * ldc) + v, accumulate, 0); }
    }

    /// <summary>8 rows × 1 register; lanes below <paramref name="firstLane"/> are left untouched in C (overlapped tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1<T, TVec, TOps>(T* a, T* b, int* offsets, int kDim, T* c, int ldc, int rows, bool accumulate, int firstLane)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        TVec c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero;
        TVec c4 = TOps.Zero, c5 = TOps.Zero, c6 = TOps.Zero, c7 = TOps.Zero;
        for (var kk = 0; kk < kDim; kk++)
        {
            var b0 = TOps.Load(b + offsets[kk]);
            c0 = TOps.MultiplyAdd(TOps.Broadcast(a[0]), b0, c0);
            c1 = TOps.MultiplyAdd(TOps.Broadcast(a[1]), b0, c1);
            c2 = TOps.MultiplyAdd(TOps.Broadcast(a[2]), b0, c2);
            c3 = TOps.MultiplyAdd(TOps.Broadcast(a[3]), b0, c3);
            c4 = TOps.MultiplyAdd(TOps.Broadcast(a[4]), b0, c4);
            c5 = TOps.MultiplyAdd(TOps.Broadcast(a[5]), b0, c5);
            c6 = TOps.MultiplyAdd(TOps.Broadcast(a[6]), b0, c6);
            c7 = TOps.MultiplyAdd(TOps.Broadcast(a[7]), b0, c7);
            a += Rows;
        }

        Store1<T, TVec, TOps>(c0, c, accumulate, firstLane);
        if (rows > 1) { Store1<T, TVec, TOps>(c1, c + ldc, accumulate, firstLane); }
        if (rows > 2) { Store1<T, TVec, TOps>(c2, c + (2 * ldc), accumulate, firstLane); }
        if (rows > 3) { Store1<T, TVec, TOps>(c3, c + (3 * ldc), accumulate, firstLane); }
        if (rows > 4) { Store1<T, TVec, TOps>(c4, c + (4 * ldc), accumulate, firstLane); }
        if (rows > 5) { Store1<T, TVec, TOps>(c5, c + (5 * ldc), accumulate, firstLane); }
        if (rows > 6) { Store1<T, TVec, TOps>(c6, c + (6 * ldc), accumulate, firstLane); }
        if (rows > 7) { Store1<T, TVec, TOps>(c7, c + (7 * ldc), accumulate, firstLane); }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store3<T, TVec, TOps>(TVec x0, TVec x1, TVec x2, T* c, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        if (accumulate)
        {
            x0 = TOps.Add(TOps.Load(c), x0);
            x1 = TOps.Add(TOps.Load(c + v), x1);
            x2 = TOps.Add(TOps.Load(c + (2 * v)), x2);
        }

        TOps.Store(x0, c);
        TOps.Store(x1, c + v);
        TOps.Store(x2, c + (2 * v));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store1<T, TVec, TOps>(TVec x, T* c, bool accumulate, int firstLane)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        if (!accumulate && firstLane == 0)
        {
            TOps.Store(x, c);
            return;
        }

        var old = TOps.Load(c);
        var updated = accumulate ? TOps.Add(old, x) : x;
        TOps.Store(firstLane == 0 ? updated : TOps.SelectUpper(updated, old, firstLane), c);
    }
}
