using System.Numerics;
using System.Runtime.CompilerServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// The register-blocked "many dot products" micro-kernel of the weight gradient: a 4×6 tile of
/// <c>result[s·4 + r] = Σ_{n &lt; samples} Σ_{q &lt; length} A[n·strideA + aOffsets[r] + q] · B[n·strideB + bOffsets[s] + q]</c>.
/// </summary>
/// <remarks>
/// <para>For ∂L/∂W, A rows are output-gradient channels (one row of length OH·OW per channel, or OH·Wp in the padded layout
/// with zeros in the Wp−OW garbage columns) and B rows are the input taps (c, i, j): either im2col rows or, for stride 1,
/// rows of the zero-padded image starting at <c>c·Hp·Wp + i·Wp + j</c>. The reduction runs along q, so lanes hold
/// <c>Count</c> consecutive q and each of the 24 accumulators is a partial dot product, kept in memory between calls
/// (<see cref="Accumulate{T, TVec, TOps}"/>) and reduced horizontally once per tile after all samples of the chunk
/// (<see cref="Reduce{T, TVec, TOps}(int, TVec*, T*)"/>).</para>
/// <para>Per register step: 4 A loads, 6 B loads, 24 FMAs (29 live registers: 24 accumulators, 4 A, 1 B), which fits
/// the 32 vector registers of AVX-512 CPUs. With 16 (AVX2, SSE) each sample runs as two halves of 2 A rows × 6 B rows
/// (12 accumulators, 2 A, 1 B), the accumulators of the other half waiting in memory; every accumulator sees the same
/// (n, q) sequence, so the results are those of the one-tile loop.</para>
/// <para>Tail: when <c>length % Count ≠ 0</c> the last step re-reads the register ending at <c>length</c> and zeroes the A lanes
/// already counted, so no load leaves a row. Rows shorter than one register use the scalar instantiation. Caveat: a
/// masked lane still multiplies 0 by B, so an infinite input there gives NaN where the scalar sum would give ±∞ (any
/// non-finite input already makes the true gradient non-finite).</para>
/// <para>Scalar equivalent: <c>for r, s: sum = 0; for n: for q: sum += A[n,r,q]*B[n,s,q]; result[s*4+r] = sum</c>; the order is
/// per-lane sequential over (n, q) then a fixed horizontal tree, independent of threads.</para>
/// </remarks>
internal static unsafe class DotKernel
{
    /// <summary>A rows per tile.</summary>
    public const int RowsA = 4;

    /// <summary>B rows per tile.</summary>
    public const int RowsB = 6;

    /// <summary>Vector accumulators of one tile; slot <see cref="Slot"/>(r, s) holds the lanes of A row r · B row s.</summary>
    public const int Accumulators = RowsA * RowsB;

    /// <summary>Where the accumulator of A row <paramref name="r"/> and B row <paramref name="s"/> lives: the layout of
    /// <see cref="TileInHalves"/> (rows 0–1 in the first twelve slots, rows 2–3 in the next), which the one-tile loop
    /// loads and stores too.</summary>
    internal static int Slot(int r, int s) => (r / 2 * 2 * RowsB) + (s * 2) + (r % 2);

    /// <summary>Adds <paramref name="samples"/> samples' products to the tile's <see cref="Accumulators"/> vector accumulators at
    /// <paramref name="acc"/> (zeroed before the first call), with <typeparamref name="TOps"/> registers or, when a row is shorter
    /// than one register, scalar code keeping <see cref="Accumulators"/> values of <typeparamref name="T"/> at the start of
    /// <paramref name="acc"/>. Every accumulator sees the same (n, q) sequence however the samples are split between calls,
    /// so a caller may walk several tiles per group of samples (to reuse operands in cache) with results bit for bit those
    /// of one call per tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip tier-0
    public static void Accumulate<T, TVec, TOps>(T* a, long strideA, int* aOffsets, T* b, long strideB, int* bOffsets, int samples, int length, TVec* acc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        if (length < TOps.Count)
        {
            Tile<T, T, ScalarOps<T>>(a, strideA, aOffsets, b, strideB, bOffsets, samples, length, (T*)acc);
        }
        else if (RegisterFile.HoldsWideTiles<TVec>())
        {
            Tile<T, TVec, TOps>(a, strideA, aOffsets, b, strideB, bOffsets, samples, length, acc);
        }
        else
        {
            TileInHalves<T, TVec, TOps>(a, strideA, aOffsets, b, strideB, bOffsets, samples, length, acc);
        }
    }

    /// <summary>The tile's dot products from its accumulators (as <see cref="Accumulate{T, TVec, TOps}"/> left them for rows
    /// of <paramref name="length"/>): <c>result[s·4 + r]</c>, each a fixed horizontal tree over the lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Reduce<T, TVec, TOps>(int length, TVec* acc, T* result)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        if (length < TOps.Count)
        {
            Reduce<T, T, ScalarOps<T>>((T*)acc, result);
        }
        else
        {
            Reduce<T, TVec, TOps>(acc, result);
        }
    }

    /// <summary>The four rows of one B row are reduced together: <c>result[s·4 + r]</c>.</summary>
    internal static void Reduce<T, TVec, TOps>(TVec* acc, T* result)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        for (var s = 0; s < RowsB; s++)
        {
            TOps.Sum4(acc[Slot(0, s)], acc[Slot(1, s)], acc[Slot(2, s)], acc[Slot(3, s)], result + (4 * s));
        }
    }

    /// <summary>The tile for 16 registers: per sample, A rows 0–1 then 2–3 against all six B rows, each half's 12
    /// accumulators loaded from and stored to <c>acc[half·12 + s·2 + r]</c> around its pass over the row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void TileInHalves<T, TVec, TOps>(T* a, long strideA, int* aOffsets, T* b, long strideB, int* bOffsets, int samples, int length, TVec* acc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var bRows = stackalloc T*[RowsB];
        for (var n = 0; n < samples; n++)
        {
            var an = a + (n * strideA);
            var bn = b + (n * strideB);
            for (var s = 0; s < RowsB; s++)
            {
                bRows[s] = bn + bOffsets[s];
            }

            HalfPass<T, TVec, TOps>(an + aOffsets[0], an + aOffsets[1], bRows, length, acc);
            HalfPass<T, TVec, TOps>(an + aOffsets[2], an + aOffsets[3], bRows, length, acc + (2 * RowsB));
        }
    }

    /// <summary>One sample's pass of A rows <paramref name="a0"/>, <paramref name="a1"/> against the six B rows, carrying the
    /// 12 accumulators <c>acc[s·2 + r]</c>; the steps and the tail are those of <see cref="Tile"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HalfPass<T, TVec, TOps>(T* a0, T* a1, T** bRows, int length, TVec* acc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        TVec s00 = acc[0], s10 = acc[1], s01 = acc[2], s11 = acc[3], s02 = acc[4], s12 = acc[5];
        TVec s03 = acc[6], s13 = acc[7], s04 = acc[8], s14 = acc[9], s05 = acc[10], s15 = acc[11];
        T* b0 = bRows[0], b1 = bRows[1], b2 = bRows[2], b3 = bRows[3], b4 = bRows[4], b5 = bRows[5];
        var full = length - (length % v);
        var q = 0;
        var firstLane = 0;
        while (true)
        {
            if (q >= full)
            {
                if (full == length)
                {
                    break;
                }

                firstLane = q - (length - v);
                q = length - v;
            }

            var x0 = TOps.Load(a0 + q);
            var x1 = TOps.Load(a1 + q);
            if (firstLane != 0)
            {
                x0 = TOps.SelectUpper(x0, TOps.Zero, firstLane);
                x1 = TOps.SelectUpper(x1, TOps.Zero, firstLane);
            }

            var y = TOps.Load(b0 + q);
            s00 = TOps.MultiplyAdd(x0, y, s00); s10 = TOps.MultiplyAdd(x1, y, s10);
            y = TOps.Load(b1 + q);
            s01 = TOps.MultiplyAdd(x0, y, s01); s11 = TOps.MultiplyAdd(x1, y, s11);
            y = TOps.Load(b2 + q);
            s02 = TOps.MultiplyAdd(x0, y, s02); s12 = TOps.MultiplyAdd(x1, y, s12);
            y = TOps.Load(b3 + q);
            s03 = TOps.MultiplyAdd(x0, y, s03); s13 = TOps.MultiplyAdd(x1, y, s13);
            y = TOps.Load(b4 + q);
            s04 = TOps.MultiplyAdd(x0, y, s04); s14 = TOps.MultiplyAdd(x1, y, s14);
            y = TOps.Load(b5 + q);
            s05 = TOps.MultiplyAdd(x0, y, s05); s15 = TOps.MultiplyAdd(x1, y, s15);
            if (firstLane != 0)
            {
                break;
            }

            q += v;
        }

        acc[0] = s00; acc[1] = s10; acc[2] = s01; acc[3] = s11; acc[4] = s02; acc[5] = s12;
        acc[6] = s03; acc[7] = s13; acc[8] = s04; acc[9] = s14; acc[10] = s05; acc[11] = s15;
    }

    /// <summary>The tile for 32 registers (and the scalar instantiation): all 24 accumulators in registers across the
    /// samples, loaded from and stored to <c>acc[</c><see cref="Slot"/><c>(r, s)]</c> around them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Tile<T, TVec, TOps>(T* a, long strideA, int* aOffsets, T* b, long strideB, int* bOffsets, int samples, int length, TVec* acc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        // Slot(r, s) = (r / 2)·12 + s·2 + r % 2.
        TVec s00 = acc[0], s01 = acc[2], s02 = acc[4], s03 = acc[6], s04 = acc[8], s05 = acc[10];
        TVec s10 = acc[1], s11 = acc[3], s12 = acc[5], s13 = acc[7], s14 = acc[9], s15 = acc[11];
        TVec s20 = acc[12], s21 = acc[14], s22 = acc[16], s23 = acc[18], s24 = acc[20], s25 = acc[22];
        TVec s30 = acc[13], s31 = acc[15], s32 = acc[17], s33 = acc[19], s34 = acc[21], s35 = acc[23];
        var full = length - (length % v);
        for (var n = 0; n < samples; n++)
        {
            var an = a + (n * strideA);
            var bn = b + (n * strideB);
            T* a0 = an + aOffsets[0], a1 = an + aOffsets[1], a2 = an + aOffsets[2], a3 = an + aOffsets[3];
            T* b0 = bn + bOffsets[0], b1 = bn + bOffsets[1], b2 = bn + bOffsets[2];
            T* b3 = bn + bOffsets[3], b4 = bn + bOffsets[4], b5 = bn + bOffsets[5];
            var q = 0;
            var firstLane = 0;
            while (true)
            {
                if (q >= full)
                {
                    if (full == length)
                    {
                        break;
                    }

                    // Overlapped tail step: lanes [0, firstLane) of this register were counted by the previous step.
                    firstLane = q - (length - v);
                    q = length - v;
                }

                var x0 = TOps.Load(a0 + q);
                var x1 = TOps.Load(a1 + q);
                var x2 = TOps.Load(a2 + q);
                var x3 = TOps.Load(a3 + q);
                if (firstLane != 0)
                {
                    x0 = TOps.SelectUpper(x0, TOps.Zero, firstLane);
                    x1 = TOps.SelectUpper(x1, TOps.Zero, firstLane);
                    x2 = TOps.SelectUpper(x2, TOps.Zero, firstLane);
                    x3 = TOps.SelectUpper(x3, TOps.Zero, firstLane);
                }

                var y = TOps.Load(b0 + q);
                s00 = TOps.MultiplyAdd(x0, y, s00); s10 = TOps.MultiplyAdd(x1, y, s10); s20 = TOps.MultiplyAdd(x2, y, s20); s30 = TOps.MultiplyAdd(x3, y, s30);
                y = TOps.Load(b1 + q);
                s01 = TOps.MultiplyAdd(x0, y, s01); s11 = TOps.MultiplyAdd(x1, y, s11); s21 = TOps.MultiplyAdd(x2, y, s21); s31 = TOps.MultiplyAdd(x3, y, s31);
                y = TOps.Load(b2 + q);
                s02 = TOps.MultiplyAdd(x0, y, s02); s12 = TOps.MultiplyAdd(x1, y, s12); s22 = TOps.MultiplyAdd(x2, y, s22); s32 = TOps.MultiplyAdd(x3, y, s32);
                y = TOps.Load(b3 + q);
                s03 = TOps.MultiplyAdd(x0, y, s03); s13 = TOps.MultiplyAdd(x1, y, s13); s23 = TOps.MultiplyAdd(x2, y, s23); s33 = TOps.MultiplyAdd(x3, y, s33);
                y = TOps.Load(b4 + q);
                s04 = TOps.MultiplyAdd(x0, y, s04); s14 = TOps.MultiplyAdd(x1, y, s14); s24 = TOps.MultiplyAdd(x2, y, s24); s34 = TOps.MultiplyAdd(x3, y, s34);
                y = TOps.Load(b5 + q);
                s05 = TOps.MultiplyAdd(x0, y, s05); s15 = TOps.MultiplyAdd(x1, y, s15); s25 = TOps.MultiplyAdd(x2, y, s25); s35 = TOps.MultiplyAdd(x3, y, s35);
                if (firstLane != 0)
                {
                    break;
                }

                q += v;
            }
        }

        acc[0] = s00; acc[2] = s01; acc[4] = s02; acc[6] = s03; acc[8] = s04; acc[10] = s05;
        acc[1] = s10; acc[3] = s11; acc[5] = s12; acc[7] = s13; acc[9] = s14; acc[11] = s15;
        acc[12] = s20; acc[14] = s21; acc[16] = s22; acc[18] = s23; acc[20] = s24; acc[22] = s25;
        acc[13] = s30; acc[15] = s31; acc[17] = s32; acc[19] = s33; acc[21] = s34; acc[23] = s35;
    }
}
