using System.Numerics;
using System.Runtime.Intrinsics;
using GradSign.Backends.Managed.Kernels;
using static GradSign.Tests.Backends.Managed.Kernels.KernelTestData;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>
/// The GEMM micro-kernels' two register tilings, for 32 registers (AVX-512) and for 16 (AVX2, SSE), are both run on every
/// machine (the JIT only picks which one production code calls) and must give the scalar definition's bits: the tiling
/// changes which registers hold the sums, never the order of any element's terms.
/// </summary>
[Trait("Category", "Kernels")]
public unsafe class RegisterTileKernelTests
{
    /// <summary>Widths around 1, 2 and 3 registers of 8 floats / 4 doubles and their tails; every panel row count.</summary>
    public static TheoryData<int, int, int, bool> PanelCases()
    {
        var data = new TheoryData<int, int, int, bool>();
        foreach (var width in new[] { 1, 3, 7, 8, 9, 13, 16, 17, 23, 24, 25, 31, 41, 48, 53 })
        {
            foreach (var rows in new[] { 1, 3, 4, 5, 8 })
            {
                data.Add(width, rows, 1 + (width % 5) + (rows * 3), (width + rows) % 2 == 0);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PanelCases))]
    public void RowPanel_BothTilings_MatchScalarSumBitForBit_Float(int width, int rows, int kDim, bool accumulate)
        => CheckPanel<float, Vector256<float>, Vector256Ops<float>>(width, rows, kDim, accumulate);

    [Theory]
    [MemberData(nameof(PanelCases))]
    public void RowPanel_BothTilings_MatchScalarSumBitForBit_Double(int width, int rows, int kDim, bool accumulate)
        => CheckPanel<double, Vector256<double>, Vector256Ops<double>>(width, rows, kDim, accumulate);

    /// <summary>Output rows of 1–4 registers (8 floats / 4 doubles), B rows 1–3 columns wider, slot ranges that start
    /// and end inside rows and leave 0, 1 or 2 slots after the 3-slot tiles; every panel row count.</summary>
    public static TheoryData<int, int, int, int, int, bool> SlotCases()
    {
        var data = new TheoryData<int, int, int, int, int, bool>();
        foreach (var (registers, extra) in new[] { (1, 2), (2, 1), (3, 3), (4, 2) })
        {
            foreach (var (first, count) in new[] { (0, 12), (1, 7), (2, 10), (5, 1), (3, 2) })
            {
                foreach (var rows in new[] { 1, 4, 5, 8 })
                {
                    data.Add(registers, extra, first, count, rows, (first + rows) % 2 == 0);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SlotCases))]
    public void RowPanelSlots_BothTilings_MatchScalarSumBitForBit(int registersPerRow, int extraColumns, int firstSlot, int slots, int rows, bool accumulate)
    {
        CheckSlots<float, Vector256<float>, Vector256Ops<float>>(registersPerRow, extraColumns, firstSlot, slots, rows, accumulate);
        CheckSlots<double, Vector256<double>, Vector256Ops<double>>(registersPerRow, extraColumns, firstSlot, slots, rows, accumulate);
    }

    /// <summary>Row lengths below, at and around whole registers (tails), with 1–4 samples.</summary>
    public static TheoryData<int, int> DotCases()
    {
        var data = new TheoryData<int, int>();
        foreach (var length in new[] { 8, 9, 15, 16, 17, 31, 40, 67 })
        {
            foreach (var samples in new[] { 1, 3, 4 })
            {
                data.Add(length, samples);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DotCases))]
    public void DotTile_InHalvesAndInPasses_MatchOneTileBitForBit(int length, int samples)
    {
        CheckDot<float, Vector256<float>, Vector256Ops<float>>(length, samples);
        CheckDot<double, Vector256<double>, Vector256Ops<double>>(length, samples);
    }

    private static void CheckPanel<T, TVec, TOps>(int width, int rows, int kDim, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        // B rows of `width` columns at scattered offsets (stride width + 5, reversed order) so the offset table matters.
        const int Ldc = 61;
        var stride = width + 5;
        var a = Random<T>(kDim * PanelKernel.Rows, 11);
        var b = Random<T>(kDim * stride, 12);
        var offsets = Enumerable.Range(0, kDim).Select(kk => (kDim - 1 - kk) * stride).ToArray();
        var initial = Random<T>(PanelKernel.Rows * Ldc, 13);

        // Scalar definition: s = fma(a, b, s) over kk in order from +0, then stored or added.
        var expected = (T[])initial.Clone();
        for (var r = 0; r < rows; r++)
        {
            for (var j = 0; j < width; j++)
            {
                var s = T.Zero;
                for (var kk = 0; kk < kDim; kk++)
                {
                    s = T.FusedMultiplyAdd(a[(kk * PanelKernel.Rows) + r], b[offsets[kk] + j], s);
                }

                expected[(r * Ldc) + j] = accumulate ? expected[(r * Ldc) + j] + s : s;
            }
        }

        var wide = (T[])initial.Clone();
        var halves = (T[])initial.Clone();
        fixed (T* aPtr = a, bPtr = b, wPtr = wide, hPtr = halves)
        fixed (int* offPtr = offsets)
        {
            PanelKernel.RowPanel<T, TVec, TOps>(aPtr, bPtr, offPtr, kDim, wPtr, Ldc, rows, width, accumulate, wideTiles: true);
            PanelKernel.RowPanel<T, TVec, TOps>(aPtr, bPtr, offPtr, kDim, hPtr, Ldc, rows, width, accumulate, wideTiles: false);
        }

        Assert.Equal(Bits(expected), Bits(wide));
        Assert.Equal(Bits(expected), Bits(halves));
    }

    private static void CheckSlots<T, TVec, TOps>(int registersPerRow, int extraColumns, int firstSlot, int slots, int rows, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        // Output rows of whole registers; B rows (the GEMM columns) wider by extraColumns, so a slot's B column is
        // (p / outWidth)·bRowStride + p mod outWidth for its first pixel p; taps at scattered offsets.
        const int KDim = 13;
        var v = TOps.Count;
        var outWidth = registersPerRow * v;
        var bRowStride = outWidth + extraColumns;
        var pixels = (firstSlot + slots) * v;
        var outRows = (pixels + outWidth - 1) / outWidth;
        var ldc = pixels + 3;
        var bLength = (outRows * bRowStride) + KDim;
        var a = Random<T>(KDim * PanelKernel.Rows, 31);
        var b = Random<T>(KDim * bLength, 32);
        var offsets = Enumerable.Range(0, KDim).Select(kk => ((kk * 5) % KDim) * bLength).ToArray();
        var initial = Random<T>(PanelKernel.Rows * ldc, 33);

        var expected = (T[])initial.Clone();
        for (var r = 0; r < rows; r++)
        {
            for (var p = firstSlot * v; p < pixels; p++)
            {
                var column = ((p / outWidth) * bRowStride) + (p % outWidth);
                var s = T.Zero;
                for (var kk = 0; kk < KDim; kk++)
                {
                    s = T.FusedMultiplyAdd(a[(kk * PanelKernel.Rows) + r], b[offsets[kk] + column], s);
                }

                expected[(r * ldc) + p] = accumulate ? expected[(r * ldc) + p] + s : s;
            }
        }

        var wide = (T[])initial.Clone();
        var halves = (T[])initial.Clone();
        fixed (T* aPtr = a, bPtr = b, wPtr = wide, hPtr = halves)
        fixed (int* offPtr = offsets)
        {
            PanelKernel.RowPanelSlots<T, TVec, TOps>(aPtr, bPtr, offPtr, KDim, wPtr, ldc, rows, firstSlot, firstSlot + slots, outWidth, bRowStride, accumulate, wideTiles: true);
            PanelKernel.RowPanelSlots<T, TVec, TOps>(aPtr, bPtr, offPtr, KDim, hPtr, ldc, rows, firstSlot, firstSlot + slots, outWidth, bRowStride, accumulate, wideTiles: false);
        }

        Assert.Equal(Bits(expected), Bits(wide));
        Assert.Equal(Bits(expected), Bits(halves));
    }

    private static void CheckDot<T, TVec, TOps>(int length, int samples)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>
    {
        // Four A rows and six B rows per sample, at offsets that overlap and repeat (as edge tiles do).
        var rowsPerSample = 9;
        var strideA = rowsPerSample * length;
        var strideB = (rowsPerSample * length) + 3;
        var a = Random<T>(samples * strideA, 21);
        var b = Random<T>(samples * strideB, 22);
        int[] aOffsets = [0, 2 * length, length + 1, 2 * length];
        int[] bOffsets = [length, 0, 3 * length, 5 * length, 4 * length + 2, 8 * length];
        var oneTile = new T[DotKernel.Accumulators];
        var inHalves = new T[DotKernel.Accumulators];
        var inPasses = new T[DotKernel.Accumulators];
        var wide = stackalloc TVec[DotKernel.Accumulators];
        var halves = stackalloc TVec[DotKernel.Accumulators];
        var passes = stackalloc TVec[DotKernel.Accumulators];
        for (var i = 0; i < DotKernel.Accumulators; i++)
        {
            wide[i] = halves[i] = passes[i] = TOps.Zero;
        }

        fixed (T* aPtr = a, bPtr = b, oPtr = oneTile, hPtr = inHalves, pPtr = inPasses)
        fixed (int* aOff = aOffsets, bOff = bOffsets)
        {
            DotKernel.Tile<T, TVec, TOps>(aPtr, strideA, aOff, bPtr, strideB, bOff, samples, length, wide);
            DotKernel.TileInHalves<T, TVec, TOps>(aPtr, strideA, aOff, bPtr, strideB, bOff, samples, length, halves);
            DotKernel.Reduce<T, TVec, TOps>(wide, oPtr);
            DotKernel.Reduce<T, TVec, TOps>(halves, hPtr);

            // The samples split over two calls (as the weight gradient's passes split them) give the same bits.
            var first = samples / 2;
            DotKernel.Accumulate<T, TVec, TOps>(aPtr, strideA, aOff, bPtr, strideB, bOff, first, length, passes);
            DotKernel.Accumulate<T, TVec, TOps>(aPtr + (first * strideA), strideA, aOff, bPtr + (first * strideB), strideB, bOff, samples - first, length, passes);
            DotKernel.Reduce<T, TVec, TOps>(length, passes, pPtr);
        }

        Assert.Equal(Bits(oneTile), Bits(inHalves));
        Assert.Equal(Bits(oneTile), Bits(inPasses));

        // And both are the dot products (any order: within the rounding bound).
        var expected = new T[oneTile.Length];
        var scale = new T[oneTile.Length];
        for (var s = 0; s < DotKernel.RowsB; s++)
        {
            for (var r = 0; r < DotKernel.RowsA; r++)
            {
                for (var n = 0; n < samples; n++)
                {
                    for (var q = 0; q < length; q++)
                    {
                        var product = a[(n * strideA) + aOffsets[r] + q] * b[(n * strideB) + bOffsets[s] + q];
                        expected[(s * DotKernel.RowsA) + r] += product;
                        scale[(s * DotKernel.RowsA) + r] += T.Abs(product);
                    }
                }
            }
        }

        AssertClose<T>(expected, oneTile, scale, samples * length, $"dot tile {length}×{samples}");
    }
}
