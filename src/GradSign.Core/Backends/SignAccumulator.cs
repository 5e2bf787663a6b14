using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GradSign.Backends;

/// <summary>
/// GradSign's streaming vote counter: <c>counts[k] += sign(g[k])</c> with NumPy's sign semantics
/// (<c>sign(±0) = 0</c>, <c>sign(NaN) = NaN</c>), NaN recorded in a per-element flag so that the column is dropped
/// at the end as <c>np.nansum</c> does. Integer counters make the sum exact (the reference's float32 column sums are
/// exact small integers too), and memory stays O(parameters) instead of the reference's N×P sign matrix.
/// Float32 and float64 gradients vote identically (widening keeps the sign, zeros and NaN).
/// </summary>
internal static class SignAccumulator
{
    /// <summary>Adds <c>sign(gradient[k])</c> to <c>counts[k]</c>; sets <c>nanFlags[k]</c> to −1 (all bits) when gradient[k] is NaN.</summary>
    /// <remarks>
    /// Effectively computes, for every k:
    /// <code>
    /// if (T.IsNaN(g[k])) nanFlags[k] = -1;
    /// else counts[k] += g[k] &gt; 0 ? 1 : g[k] &lt; 0 ? -1 : 0;   // −0.0 counts as 0
    /// </code>
    /// Vector path: the comparison masks are −1 per true lane, so <c>sign = (x &lt; 0 mask) − (x &gt; 0 mask)</c>. Float32
    /// lanes are 32 bits wide and add straight into the int32 counters (W = 16/8/4 lanes of Vector512/256/128); float64
    /// reads 2·W doubles (W = 4 of Vector256, or 2 of Vector128) and narrows the two 64-bit halves into one vector of
    /// 2·W int32 lanes. NaN lanes compare false both ways (sign 0) and are caught by the <c>x != x</c> mask, which is
    /// OR-ed into the flags.
    /// </remarks>
    public static void Accumulate<T>(ReadOnlySpan<T> gradient, Span<int> counts, Span<int> nanFlags)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (counts.Length != gradient.Length || nanFlags.Length != gradient.Length)
        {
            throw new ArgumentException($"counts ({counts.Length}) and nanFlags ({nanFlags.Length}) must have the gradient's length ({gradient.Length}).", nameof(counts));
        }

        var i = typeof(T) == typeof(float)
            ? AccumulateSingle(MemoryMarshal.Cast<T, float>(gradient), counts, nanFlags)
            : typeof(T) == typeof(double) ? AccumulateDouble(MemoryMarshal.Cast<T, double>(gradient), counts, nanFlags) : 0;
        for (; i < gradient.Length; i++)
        {
            var x = gradient[i];
            if (T.IsNaN(x))
            {
                nanFlags[i] = -1;
            }
            else
            {
                counts[i] += x > T.Zero ? 1 : x < T.Zero ? -1 : 0;
            }
        }
    }

    /// <summary>Σ_k |counts[k]| over the elements whose flag is 0, exactly, with the number of NaN-flagged elements.</summary>
    public static (long Sum, int NanCount) AbsoluteSum(ReadOnlySpan<int> counts, ReadOnlySpan<int> nanFlags)
    {
        if (counts.Length != nanFlags.Length)
        {
            throw new ArgumentException($"counts ({counts.Length}) and nanFlags ({nanFlags.Length}) differ in length.", nameof(nanFlags));
        }

        long sum = 0;
        var nans = 0;
        for (var k = 0; k < counts.Length; k++)
        {
            if (nanFlags[k] != 0)
            {
                nans++;
            }
            else
            {
                sum += Math.Abs((long)counts[k]);
            }
        }

        return (sum, nans);
    }

    /// <summary>Vectorised float32 part; returns the number of elements done (the scalar tail does the rest).</summary>
    private static int AccumulateSingle(ReadOnlySpan<float> gradient, Span<int> counts, Span<int> nanFlags)
    {
        ref var g = ref MemoryMarshal.GetReference(gradient);
        ref var c = ref MemoryMarshal.GetReference(counts);
        ref var f = ref MemoryMarshal.GetReference(nanFlags);
        var n = gradient.Length;
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
            {
                var x = Vector512.LoadUnsafe(ref g, (nuint)i);
                var sign = Vector512.LessThan(x, Vector512<float>.Zero).AsInt32() - Vector512.GreaterThan(x, Vector512<float>.Zero).AsInt32();
                (Vector512.LoadUnsafe(ref c, (nuint)i) + sign).StoreUnsafe(ref c, (nuint)i);
                (Vector512.LoadUnsafe(ref f, (nuint)i) | ~Vector512.Equals(x, x).AsInt32()).StoreUnsafe(ref f, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                var x = Vector256.LoadUnsafe(ref g, (nuint)i);
                var sign = Vector256.LessThan(x, Vector256<float>.Zero).AsInt32() - Vector256.GreaterThan(x, Vector256<float>.Zero).AsInt32();
                (Vector256.LoadUnsafe(ref c, (nuint)i) + sign).StoreUnsafe(ref c, (nuint)i);
                (Vector256.LoadUnsafe(ref f, (nuint)i) | ~Vector256.Equals(x, x).AsInt32()).StoreUnsafe(ref f, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
            {
                var x = Vector128.LoadUnsafe(ref g, (nuint)i);
                var sign = Vector128.LessThan(x, Vector128<float>.Zero).AsInt32() - Vector128.GreaterThan(x, Vector128<float>.Zero).AsInt32();
                (Vector128.LoadUnsafe(ref c, (nuint)i) + sign).StoreUnsafe(ref c, (nuint)i);
                (Vector128.LoadUnsafe(ref f, (nuint)i) | ~Vector128.Equals(x, x).AsInt32()).StoreUnsafe(ref f, (nuint)i);
            }
        }

        return i;
    }

    /// <summary>Vectorised float64 part; returns the number of elements done (the scalar tail does the rest).</summary>
    private static int AccumulateDouble(ReadOnlySpan<double> gradient, Span<int> counts, Span<int> nanFlags)
    {
        ref var g = ref MemoryMarshal.GetReference(gradient);
        ref var c = ref MemoryMarshal.GetReference(counts);
        ref var f = ref MemoryMarshal.GetReference(nanFlags);
        var n = gradient.Length;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // 8 doubles → 8 int32 lanes per step.
            for (; i <= n - 8; i += 8)
            {
                var lo = Vector256.LoadUnsafe(ref g, (nuint)i);
                var hi = Vector256.LoadUnsafe(ref g, (nuint)(i + 4));
                var sign = Vector256.Narrow(Sign(lo), Sign(hi));
                var nan = Vector256.Narrow(Vector256.Equals(lo, lo).AsInt64(), Vector256.Equals(hi, hi).AsInt64());
                (Vector256.LoadUnsafe(ref c, (nuint)i) + sign).StoreUnsafe(ref c, (nuint)i);
                (Vector256.LoadUnsafe(ref f, (nuint)i) | ~nan).StoreUnsafe(ref f, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            // 4 doubles → 4 int32 lanes per step.
            for (; i <= n - 4; i += 4)
            {
                var lo = Vector128.LoadUnsafe(ref g, (nuint)i);
                var hi = Vector128.LoadUnsafe(ref g, (nuint)(i + 2));
                var sign = Vector128.Narrow(Sign(lo), Sign(hi));
                var nan = Vector128.Narrow(Vector128.Equals(lo, lo).AsInt64(), Vector128.Equals(hi, hi).AsInt64());
                (Vector128.LoadUnsafe(ref c, (nuint)i) + sign).StoreUnsafe(ref c, (nuint)i);
                (Vector128.LoadUnsafe(ref f, (nuint)i) | ~nan).StoreUnsafe(ref f, (nuint)i);
            }
        }

        return i;
    }

    // (x < 0) − (x > 0) on masks of −1/0 gives +1 for positive, −1 for negative, 0 for ±0 and NaN.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> Sign(Vector256<double> x)
        => Vector256.LessThan(x, Vector256<double>.Zero).AsInt64() - Vector256.GreaterThan(x, Vector256<double>.Zero).AsInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<long> Sign(Vector128<double> x)
        => Vector128.LessThan(x, Vector128<double>.Zero).AsInt64() - Vector128.GreaterThan(x, Vector128<double>.Zero).AsInt64();
}
