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
/// <c>Count</c> consecutive q and each of the 24 accumulators is a partial dot product reduced horizontally once per tile
/// (after all samples of the chunk, which is why the sample loop is inside the kernel).</para>
/// <para>Per register step: 4 A loads, 6 B loads, 24 FMAs (29 live registers: 24 accumulators, 4 A, 1 B), which fits
/// the 32 vector registers of AVX-512 CPUs. With 16 (AVX2, SSE) each sample runs as two halves of 2 A rows × 6 B rows
/// (12 accumulators, 2 A, 1 B), the accumulators of the other half waiting in memory; every accumulator sees the same
/// (n, q) sequence, so the results are those of the one-tile loop.</para>
/// <para>Tail: when <c>length % Count ≠ 0</c> the last step re-reads the register ending at <c>length</c> and zeroes the A lanes
/// already counted, so no load leaves a row. Rows shorter than one register use the scalar instantiation (caller's job via
/// <see cref="Run{T, TVec, TOps}"/>). Caveat: a masked lane still multiplies 0 by B, so an infinite input there gives NaN
/// where the scalar sum would give ±∞ (any non-finite input already makes the true gradient non-finite).</para>
/// <para>Scalar equivalent: <c>for r, s: sum = 0; for n: for q: sum += A[n,r,q]*B[n,s,q]; result[s*4+r] = sum</c>; the order is
/// per-lane sequential over (n, q) then a fixed horizontal tree, independent of threads.</para>
/// </remarks>
internal static unsafe class DotKernel
{
    /// <summary>A rows per tile.</summary>
    public const int RowsA = 4;

    /// <summary>B rows per tile.</summary>
    public const int RowsB = 6;

    /// <summary>Runs the tile with <typeparamref name="TOps"/> registers, or scalar code when a row is shorter than one register.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip tier-0
    public static void Run<T, TVec, TOps>(T* a, long strideA, int* aOffsets, T* b, long strideB, int* bOffsets, int samples, int length, T* result)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        if (length < TOps.Count)
        {
            Tile<T, T, ScalarOps<T>>(a, strideA, aOffsets, b, strideB, bOffsets, samples, length, result);
        }
        else if (RegisterFile.HoldsWideTiles<TVec>())
        {
            Tile<T, TVec, TOps>(a, strideA, aOffsets, b, strideB, bOffsets, samples, length, result);
        }
        else
        {
            TileInHalves<T, TVec, TOps>(a, strideA, aOffsets, b, strideB, bOffsets, samples, length, result);
        }
    }

    /// <summary>The tile for 16 registers: per sample, A rows 0–1 then 2–3 against all six B rows, each half's 12
    /// accumulators loaded from and stored to <c>acc[half·12 + s·2 + r]</c> around its pass over the row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void TileInHalves<T, TVec, TOps>(T* a, long strideA, int* aOffsets, T* b, long strideB, int* bOffsets, int samples, int length, T* result)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var acc = stackalloc TVec[RowsA * RowsB];
        for (var i = 0; i < RowsA * RowsB; i++)
        {
            acc[i] = TOps.Zero;
        }

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

        // The same reduction as the one-tile loop: result[s·4 + r].
        for (var s = 0; s < RowsB; s++)
        {
            TOps.Sum4(acc[2 * s], acc[(2 * s) + 1], acc[(2 * RowsB) + (2 * s)], acc[(2 * RowsB) + (2 * s) + 1], result + (4 * s));
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Tile<T, TVec, TOps>(T* a, long strideA, int* aOffsets, T* b, long strideB, int* bOffsets, int samples, int length, T* result)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        var v = TOps.Count;
        TVec s00 = TOps.Zero, s01 = TOps.Zero, s02 = TOps.Zero, s03 = TOps.Zero, s04 = TOps.Zero, s05 = TOps.Zero;
        TVec s10 = TOps.Zero, s11 = TOps.Zero, s12 = TOps.Zero, s13 = TOps.Zero, s14 = TOps.Zero, s15 = TOps.Zero;
        TVec s20 = TOps.Zero, s21 = TOps.Zero, s22 = TOps.Zero, s23 = TOps.Zero, s24 = TOps.Zero, s25 = TOps.Zero;
        TVec s30 = TOps.Zero, s31 = TOps.Zero, s32 = TOps.Zero, s33 = TOps.Zero, s34 = TOps.Zero, s35 = TOps.Zero;
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

        // Column-major: result[s·4 + r] (the four rows of one B row are reduced together).
        TOps.Sum4(s00, s10, s20, s30, result);
        TOps.Sum4(s01, s11, s21, s31, result + 4);
        TOps.Sum4(s02, s12, s22, s32, result + 8);
        TOps.Sum4(s03, s13, s23, s33, result + 12);
        TOps.Sum4(s04, s14, s24, s34, result + 16);
        TOps.Sum4(s05, s15, s25, s35, result + 20);
    }
}
