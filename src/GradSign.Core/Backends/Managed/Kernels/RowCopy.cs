using System.Numerics;
using System.Runtime.CompilerServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Short-row copies for padding, im2col-free layouts and write-back. Rows here are 8–34 elements, where creating spans
/// and calling memmove/memset per row costs more than the data movement; these loops use whole registers instead
/// (the width from <see cref="SimdDispatch{T}"/>; each job below is inlined into its caller with its loops).
/// </summary>
internal static unsafe class RowCopy
{
    /// <summary>
    /// <c>dst[x] = src[x]</c> for x &lt; count. Lane layout: one register of consecutive elements per step, on the widest
    /// registers that fit in the row (<see cref="SimdDispatch{T}.RunFitting"/>); the tail is one overlapped register
    /// ending at <c>count</c> (re-copying a few elements is harmless for a plain copy); rows shorter than any register are
    /// copied element by element. Scalar equivalent: <c>for x: dst[x] = src[x]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy<T>(T* src, T* dst, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        => SimdDispatch<T>.RunFitting(new CopyJob<T>(src, dst, count), count);

    /// <summary>
    /// <c>dst[x] = (accumulate ? dst[x] : 0) + src[x] + bias</c> for x &lt; count. One register of consecutive elements per
    /// step; the remainder (not overlapped, since adding twice would be wrong) is scalar. Scalar equivalent as written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyAdd<T>(T* src, T* dst, int count, T bias, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => SimdDispatch<T>.Run(new CopyAddJob<T>(src, dst, count, bias, accumulate));

    /// <summary><c>dst[x] = 0</c> for x &lt; count (whole registers, then scalar).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Zero<T>(T* dst, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        => SimdDispatch<T>.Run(new ZeroJob<T>(dst, count));

    /// <summary><see cref="Copy{T}"/> on one register width (<c>count ≥ TOps.Count</c>, or scalar).</summary>
    private readonly struct CopyJob<T>(T* src, T* dst, int count) : ISimdJob<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Run<TVec, TOps>()
            where TVec : unmanaged
            where TOps : ISimdOps<T, TVec>
        {
            var v = TOps.Count;
            var x = 0;
            for (; x <= count - v; x += v)
            {
                TOps.Store(TOps.Load(src + x), dst + x);
            }

            if (x < count)
            {
                TOps.Store(TOps.Load(src + count - v), dst + count - v);
            }
        }
    }

    /// <summary><see cref="CopyAdd{T}"/> on one register width.</summary>
    private readonly struct CopyAddJob<T>(T* src, T* dst, int count, T bias, bool accumulate) : ISimdJob<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Run<TVec, TOps>()
            where TVec : unmanaged
            where TOps : ISimdOps<T, TVec>
        {
            var v = TOps.Count;
            var b = TOps.Broadcast(bias);
            var x = 0;
            for (; x <= count - v; x += v)
            {
                var value = TOps.Add(TOps.Load(src + x), b);
                TOps.Store(accumulate ? TOps.Add(TOps.Load(dst + x), value) : value, dst + x);
            }

            for (; x < count; x++)
            {
                var value = src[x] + bias;
                dst[x] = accumulate ? dst[x] + value : value;
            }
        }
    }

    /// <summary><see cref="Zero{T}"/> on one register width.</summary>
    private readonly struct ZeroJob<T>(T* dst, int count) : ISimdJob<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Run<TVec, TOps>()
            where TVec : unmanaged
            where TOps : ISimdOps<T, TVec>
        {
            var x = 0;
            for (; x <= count - TOps.Count; x += TOps.Count)
            {
                TOps.Store(TOps.Zero, dst + x);
            }

            for (; x < count; x++)
            {
                dst[x] = T.Zero;
            }
        }
    }
}
