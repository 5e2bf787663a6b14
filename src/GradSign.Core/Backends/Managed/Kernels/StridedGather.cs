using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Every <c>stride</c>-th element of a row: <c>dst[v] = src[stride·v]</c> for v &lt; count (the rows of stride-s phase
/// planes, <see cref="ConvPacking.PhaseImage{T}"/>, and of strided im2col, <see cref="ConvPacking.Im2Col{T}"/>). Reads
/// nothing past <c>src[stride·(count − 1)]</c>.
/// </summary>
/// <remarks>Stride 2 (the reduction convolutions) runs on AVX. Lane layout (float): a block of 8 outputs loads
/// <c>src[2v..2v+8)</c> and <c>src[2v+7..2v+15)</c>, the second one element early so that no load passes
/// <c>src[2v + 14]</c>, and swaps its neighbouring lanes to bring <c>src[2v+8], src[2v+10], …</c> to the even lanes; a
/// 128-bit permute pairs the two registers' low and high halves, and one in-lane shuffle keeps lanes 0 and 2 of each
/// (double: 4 outputs per block, the second load three elements in). Other strides, and the outputs past the last
/// whole block, take the scalar loop. Scalar equivalent as written; pure copies, so every path gives the same
/// bits.</remarks>
internal static unsafe class StridedGather
{
    /// <summary>Copies <c>src[0], src[stride], …, src[stride·(count − 1)]</c> to <c>dst[0..count)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<T>(T* src, int stride, T* dst, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v = 0;
        if (stride == 2 && Avx.IsSupported && typeof(T) == typeof(float))
        {
            v = Float((float*)src, (float*)dst, count);
        }
        else if (stride == 2 && Avx.IsSupported && typeof(T) == typeof(double))
        {
            v = Double((double*)src, (double*)dst, count);
        }

        for (; v < count; v++)
        {
            dst[v] = src[stride * v];
        }
    }

    /// <summary>Stride 2: blocks of 8 outputs; returns the first output left to the scalar loop.</summary>
    private static int Float(float* src, float* dst, int count)
    {
        var v = 0;
        for (; v + 8 <= count; v += 8)
        {
            var x0 = Avx.LoadVector256(src + (2 * v));
            var x1 = Avx.Permute(Avx.LoadVector256(src + (2 * v) + 7), 0xB1); // lanes (1,0,3,2,…): src[2v+8], ·, src[2v+10], ·
            var low = Avx.Permute2x128(x0, x1, 0x20);  // x0[0..3], x1[0..3]
            var high = Avx.Permute2x128(x0, x1, 0x31); // x0[4..7], x1[4..7]
            Avx.Store(dst + v, Avx.Shuffle(low, high, 0x88)); // per lane: low[0], low[2], high[0], high[2]
        }

        return v;
    }

    /// <summary>Blocks of 4 outputs, as <see cref="Float"/>.</summary>
    private static int Double(double* src, double* dst, int count)
    {
        var v = 0;
        for (; v + 4 <= count; v += 4)
        {
            var x0 = Avx.LoadVector256(src + (2 * v));
            var x1 = Avx.Permute(Avx.LoadVector256(src + (2 * v) + 3), 0b0101); // src[2v+4], ·, src[2v+6], ·
            var low = Avx.Permute2x128(x0, x1, 0x20);  // x0[0..1], x1[0..1]
            var high = Avx.Permute2x128(x0, x1, 0x31); // x0[2..3], x1[2..3]
            Avx.Store(dst + v, Avx.UnpackLow(low, high)); // per lane: low[0], high[0]
        }

        return v;
    }
}
