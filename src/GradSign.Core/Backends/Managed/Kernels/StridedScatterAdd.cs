using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Adds a row into every <c>stride</c>-th element of another: <c>dst[stride·x] += src[x]</c> for x &lt; count (one
/// tap's row of a strided col2im, <see cref="ConvPacking.Col2ImAdd{T}"/>). Touches nothing past
/// <c>dst[stride·(count − 1)]</c>.
/// </summary>
/// <remarks>Stride 2 (the reduction convolutions) runs on AVX. Lane layout (float): 8 source elements are unpacked
/// against −0 and their halves permuted into <c>[s0, −0, s1, −0, …, s3, −0]</c>, added to <c>dst[2x..2x+8)</c>, and
/// <c>[−0, s4, −0, s5, …, −0, s7]</c>, added to <c>dst[2x+7..2x+15)</c> (one element early, so that nothing past
/// <c>dst[2x + 14]</c> is touched; the overlapping element is an odd one). Adding −0 returns the other operand bit for
/// bit (−0 too), so the odd elements are written back unchanged and each even one receives one addition, as in the
/// scalar loop (double: 4 source elements per block, the second half three elements in). Other strides, and the
/// elements past the last whole block, take the scalar loop. Scalar equivalent as written. The odd elements are read
/// and rewritten, so no other thread may write them meanwhile.</remarks>
internal static unsafe class StridedScatterAdd
{
    /// <summary>Adds <c>src[0..count)</c> to <c>dst[0], dst[stride], …, dst[stride·(count − 1)]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<T>(T* src, int stride, T* dst, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = 0;
        if (stride == 2 && Avx.IsSupported && typeof(T) == typeof(float))
        {
            x = Float((float*)src, (float*)dst, count);
        }
        else if (stride == 2 && Avx.IsSupported && typeof(T) == typeof(double))
        {
            x = Double((double*)src, (double*)dst, count);
        }

        for (; x < count; x++)
        {
            dst[stride * x] += src[x];
        }
    }

    /// <summary>Stride 2: blocks of 8 source elements; returns the first one left to the scalar loop.</summary>
    private static int Float(float* src, float* dst, int count)
    {
        var x = 0;
        var negativeZero = Vector256.Create(-0f);
        for (; x + 8 <= count; x += 8)
        {
            var s = Avx.LoadVector256(src + x);
            var low = Avx.UnpackLow(s, negativeZero);   // s0, −0, s1, −0 | s4, −0, s5, −0
            var high = Avx.UnpackHigh(s, negativeZero); // s2, −0, s3, −0 | s6, −0, s7, −0
            var second = Avx.Permute(Avx.Permute2x128(low, high, 0x31), 0xB1); // −0, s4, −0, s5 | −0, s6, −0, s7
            var d = dst + (2 * x);
            var (d0, d1) = (Avx.LoadVector256(d), Avx.LoadVector256(d + 7)); // both before either store: no partial forwarding
            Avx.Store(d, Avx.Add(d0, Avx.Permute2x128(low, high, 0x20)));
            Avx.Store(d + 7, Avx.Add(d1, second));
        }

        return x;
    }

    /// <summary>Blocks of 4 source elements, as <see cref="Float"/>.</summary>
    private static int Double(double* src, double* dst, int count)
    {
        var x = 0;
        var negativeZero = Vector256.Create(-0d);
        for (; x + 4 <= count; x += 4)
        {
            var s = Avx.LoadVector256(src + x);
            var low = Avx.UnpackLow(s, negativeZero);   // s0, −0 | s2, −0
            var high = Avx.UnpackHigh(s, negativeZero); // s1, −0 | s3, −0
            var second = Avx.Permute(Avx.Permute2x128(low, high, 0x31), 0b0101); // −0, s2 | −0, s3
            var d = dst + (2 * x);
            var (d0, d1) = (Avx.LoadVector256(d), Avx.LoadVector256(d + 3));
            Avx.Store(d, Avx.Add(d0, Avx.Permute2x128(low, high, 0x20)));
            Avx.Store(d + 3, Avx.Add(d1, second));
        }

        return x;
    }
}
