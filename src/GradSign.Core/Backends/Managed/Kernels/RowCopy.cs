using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Short-row copies for padding, im2col-free layouts and write-back. Rows here are 8–34 elements, where creating spans
/// and calling memmove/memset per row costs more than the data movement; these loops use whole registers instead.
/// </summary>
internal static unsafe class RowCopy
{
    /// <summary>
    /// <c>dst[x] = src[x]</c> for x &lt; count. Lane layout: one register of consecutive elements per step; the tail is one
    /// overlapped register ending at <c>count</c> (re-copying a few elements is harmless for a plain copy); rows shorter
    /// than a register are copied element by element. Scalar equivalent: <c>for x: dst[x] = src[x]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy<T>(T* src, T* dst, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated && count >= Vector512<T>.Count)
        {
            var v = Vector512<T>.Count;
            var x = 0;
            for (; x <= count - v; x += v)
            {
                Vector512.Load(src + x).Store(dst + x);
            }

            if (x < count)
            {
                Vector512.Load(src + count - v).Store(dst + count - v);
            }
        }
        else if (Vector256.IsHardwareAccelerated && count >= Vector256<T>.Count)
        {
            var v = Vector256<T>.Count;
            var x = 0;
            for (; x <= count - v; x += v)
            {
                Vector256.Load(src + x).Store(dst + x);
            }

            if (x < count)
            {
                Vector256.Load(src + count - v).Store(dst + count - v);
            }
        }
        else
        {
            for (var x = 0; x < count; x++)
            {
                dst[x] = src[x];
            }
        }
    }

    /// <summary>
    /// <c>dst[x] = (accumulate ? dst[x] : 0) + src[x] + bias</c> for x &lt; count. One register of consecutive elements per
    /// step; the remainder (not overlapped, since adding twice would be wrong) is scalar. Scalar equivalent as written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyAdd<T>(T* src, T* dst, int count, T bias, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var v = Vector512<T>.Count;
            var b = Vector512.Create(bias);
            for (; x <= count - v; x += v)
            {
                var value = Vector512.Load(src + x) + b;
                (accumulate ? Vector512.Load(dst + x) + value : value).Store(dst + x);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var v = Vector256<T>.Count;
            var b = Vector256.Create(bias);
            for (; x <= count - v; x += v)
            {
                var value = Vector256.Load(src + x) + b;
                (accumulate ? Vector256.Load(dst + x) + value : value).Store(dst + x);
            }
        }

        for (; x < count; x++)
        {
            var value = src[x] + bias;
            dst[x] = accumulate ? dst[x] + value : value;
        }
    }

    /// <summary><c>dst[x] = 0</c> for x &lt; count (whole registers, then scalar).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Zero<T>(T* dst, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; x <= count - Vector512<T>.Count; x += Vector512<T>.Count)
            {
                Vector512<T>.Zero.Store(dst + x);
            }
        }

        for (; x < count; x++)
        {
            dst[x] = T.Zero;
        }
    }
}
