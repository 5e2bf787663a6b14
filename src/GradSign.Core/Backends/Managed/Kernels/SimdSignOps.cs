using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Sign tests on one register of float or double with integer results: the ReLU activation codes (NASWOT) and GradSign's
/// sign votes. Part of every <see cref="ISimdOps{T, TVec}"/> (the same structs implement them), so a kernel written over
/// <see cref="ISimdJob{T}"/> reaches them through its <c>TOps</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe interface ISimdSignOps<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Lanes per register (16/8 for Vector512 float/double, 8/4 for Vector256, 4/2 for Vector128, 1 for scalar).</summary>
    static abstract int Count { get; }

    /// <summary>Bit k (k &lt; <see cref="Count"/>) is <c>source[k] &gt; 0</c>: 0 for ±0 and NaN. Lane k's comparison mask
    /// has its most significant bit set exactly when true, and ExtractMostSignificantBits puts lane k at bit k.</summary>
    static abstract ulong PositiveBits(T* source);

    /// <summary>
    /// For k &lt; <see cref="Count"/>: <c>counts[k] += sign(source[k])</c> (±0 and NaN add 0) and <c>nanFlags[k] = −1</c>
    /// where <c>source[k]</c> is NaN (other flags unchanged). Lane layout: comparison masks are −1 per true lane, so
    /// <c>sign = (x &lt; 0) − (x &gt; 0)</c>; float lanes are 32 bits wide and add straight into the int32 counters, double
    /// lanes' 64-bit results are narrowed to int32 (Count doubles → Count counters). NaN lanes compare false both ways
    /// and are caught by <c>x != x</c>, which is OR-ed into the flags.
    /// </summary>
    static abstract void AddSigns(T* source, int* counts, int* nanFlags);
}

/// <summary>AVX-512 sign tests: 16 floats → 16 int32 lanes; 8 doubles → 8 (a Vector256&lt;int&gt;).</summary>
internal readonly unsafe partial struct Vector512Ops<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong PositiveBits(T* source) => Vector512.GreaterThan(Vector512.Load(source), Vector512<T>.Zero).ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddSigns(T* source, int* counts, int* nanFlags)
    {
        var x = Vector512.Load(source);
        Vector512<T> negative = Vector512.LessThan(x, Vector512<T>.Zero), positive = Vector512.GreaterThan(x, Vector512<T>.Zero), nan = ~Vector512.Equals(x, x);
        if (typeof(T) == typeof(float))
        {
            SignVotes.Add(negative.AsInt32() - positive.AsInt32(), nan.AsInt32(), counts, nanFlags);
            return;
        }

        var sign = negative.AsInt64() - positive.AsInt64();
        var nan64 = nan.AsInt64();
        SignVotes.Add(Vector256.Narrow(sign.GetLower(), sign.GetUpper()), Vector256.Narrow(nan64.GetLower(), nan64.GetUpper()), counts, nanFlags);
    }
}

/// <summary>256-bit sign tests: 8 floats → 8 int32 lanes; 4 doubles → 4 (a Vector128&lt;int&gt;).</summary>
internal readonly unsafe partial struct Vector256Ops<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong PositiveBits(T* source) => Vector256.GreaterThan(Vector256.Load(source), Vector256<T>.Zero).ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddSigns(T* source, int* counts, int* nanFlags)
    {
        var x = Vector256.Load(source);
        Vector256<T> negative = Vector256.LessThan(x, Vector256<T>.Zero), positive = Vector256.GreaterThan(x, Vector256<T>.Zero), nan = ~Vector256.Equals(x, x);
        if (typeof(T) == typeof(float))
        {
            SignVotes.Add(negative.AsInt32() - positive.AsInt32(), nan.AsInt32(), counts, nanFlags);
            return;
        }

        var sign = negative.AsInt64() - positive.AsInt64();
        var nan64 = nan.AsInt64();
        SignVotes.Add(Vector128.Narrow(sign.GetLower(), sign.GetUpper()), Vector128.Narrow(nan64.GetLower(), nan64.GetUpper()), counts, nanFlags);
    }
}

/// <summary>128-bit sign tests: 4 floats → 4 int32 lanes; 2 doubles → 2 (the low half of a Vector128&lt;int&gt;).</summary>
internal readonly unsafe partial struct Vector128Ops<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong PositiveBits(T* source) => Vector128.GreaterThan(Vector128.Load(source), Vector128<T>.Zero).ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddSigns(T* source, int* counts, int* nanFlags)
    {
        var x = Vector128.Load(source);
        Vector128<T> negative = Vector128.LessThan(x, Vector128<T>.Zero), positive = Vector128.GreaterThan(x, Vector128<T>.Zero), nan = ~Vector128.Equals(x, x);
        if (typeof(T) == typeof(float))
        {
            SignVotes.Add(negative.AsInt32() - positive.AsInt32(), nan.AsInt32(), counts, nanFlags);
            return;
        }

        // Two counters: narrowed into lanes 0–1 (and repeated in 2–3), read and written as one 64-bit word.
        var sign = negative.AsInt64() - positive.AsInt64();
        var votes = Vector128.Narrow(sign, sign);
        var flags = Vector128.Narrow(nan.AsInt64(), nan.AsInt64());
        var c = Vector128.CreateScalar(Unsafe.ReadUnaligned<long>(counts)).AsInt32() + votes;
        var f = Vector128.CreateScalar(Unsafe.ReadUnaligned<long>(nanFlags)).AsInt32() | flags;
        Unsafe.WriteUnaligned(counts, c.AsInt64().ToScalar());
        Unsafe.WriteUnaligned(nanFlags, f.AsInt64().ToScalar());
    }
}

/// <summary>Scalar sign tests, one element: the definitions the vector versions reproduce.</summary>
internal readonly unsafe partial struct ScalarOps<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong PositiveBits(T* source) => *source > T.Zero ? 1UL : 0UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddSigns(T* source, int* counts, int* nanFlags)
    {
        var x = *source;
        if (T.IsNaN(x))
        {
            *nanFlags = -1;
        }
        else
        {
            *counts += x > T.Zero ? 1 : x < T.Zero ? -1 : 0; // −0.0 counts as 0
        }
    }
}

/// <summary>The integer half of <see cref="ISimdSignOps{T}.AddSigns"/>: <c>counts += sign</c>, <c>nanFlags |= nan</c>, lane-wise.</summary>
internal static unsafe class SignVotes
{
    /// <summary>16 (or 8, or 4) consecutive counters and flags.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Vector512<int> sign, Vector512<int> nan, int* counts, int* nanFlags)
    {
        (Vector512.Load(counts) + sign).Store(counts);
        (Vector512.Load(nanFlags) | nan).Store(nanFlags);
    }

    /// <inheritdoc cref="Add(Vector512{int}, Vector512{int}, int*, int*)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Vector256<int> sign, Vector256<int> nan, int* counts, int* nanFlags)
    {
        (Vector256.Load(counts) + sign).Store(counts);
        (Vector256.Load(nanFlags) | nan).Store(nanFlags);
    }

    /// <inheritdoc cref="Add(Vector512{int}, Vector512{int}, int*, int*)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Vector128<int> sign, Vector128<int> nan, int* counts, int* nanFlags)
    {
        (Vector128.Load(counts) + sign).Store(counts);
        (Vector128.Load(nanFlags) | nan).Store(nanFlags);
    }
}
