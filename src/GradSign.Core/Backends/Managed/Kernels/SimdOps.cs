using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// The handful of vector operations the convolution/GEMM micro-kernels need, abstracted over the register width so one
/// kernel source serves AVX-512 (<see cref="Vector512Ops{T}"/>), AVX2 (<see cref="Vector256Ops{T}"/>), SSE/NEON (<see cref="Vector128Ops{T}"/>) and
/// plain scalar code (<see cref="ScalarOps{T}"/>). Implementations are structs with static members: the JIT specialises
/// every kernel per (T, TVec, TOps) and inlines these calls, so TVec locals live in registers.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TVec">The register type: <see cref="Vector512{T}"/>, <see cref="Vector256{T}"/> or <typeparamref name="T"/> itself.</typeparam>
/// <remarks>The sign tests with integer results (ReLU codes, GradSign votes) are in <see cref="ISimdSignOps{T}"/>.</remarks>
internal unsafe interface ISimdOps<T, TVec> : ISimdSignOps<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : unmanaged
{
    /// <summary>All lanes zero.</summary>
    static abstract TVec Zero { get; }

    /// <summary>Unaligned load of <see cref="ISimdSignOps{T}.Count"/> consecutive elements.</summary>
    static abstract TVec Load(T* source);

    /// <summary>Unaligned store of <see cref="ISimdSignOps{T}.Count"/> consecutive elements.</summary>
    static abstract void Store(TVec value, T* destination);

    /// <summary>Every lane = <paramref name="value"/> (the JIT may fold it into an embedded-broadcast FMA operand).</summary>
    static abstract TVec Broadcast(T value);

    /// <summary>Lane-wise <c>a·b + c</c> (fused where the hardware has FMA).</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);

    /// <summary>Lane-wise sum.</summary>
    static abstract TVec Add(TVec a, TVec b);

    /// <summary>Lane-wise difference <c>a − b</c>.</summary>
    static abstract TVec Subtract(TVec a, TVec b);

    /// <summary>Lane-wise product.</summary>
    static abstract TVec Multiply(TVec a, TVec b);

    /// <summary>Lane-wise negation <c>−a</c> (a sign flip: −(+0) = −0, unlike 0 − a).</summary>
    static abstract TVec Negate(TVec a);

    /// <summary>Horizontal sum of the lanes (a fixed reduction tree, so deterministic).</summary>
    static abstract T Sum(TVec value);

    /// <summary>Horizontal sums of four registers into <c>destination[0..3]</c> (cheaper than four <see cref="Sum"/>s: the
    /// registers are folded to 128 bits and reduced together by a 4×4 transpose-add).</summary>
    static abstract void Sum4(TVec a, TVec b, TVec c, TVec d, T* destination);

    /// <summary>Lanes with index ≥ <paramref name="firstLane"/> keep <paramref name="value"/>; lower lanes take <paramref name="other"/>.
    /// Used by the overlapped tail: the last partial vector is re-read from <c>end − Count</c> and only its new lanes count.</summary>
    static abstract TVec SelectUpper(TVec value, TVec other, int firstLane);
}

/// <summary>AVX-512 registers: 16 floats or 8 doubles per <see cref="Vector512{T}"/>.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly unsafe partial struct Vector512Ops<T> : ISimdOps<T, Vector512<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;

    public static Vector512<T> Zero => Vector512<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(T* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, T* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        // FusedMultiplyAdd has float/double overloads only; the typeof test is a JIT-time constant.
        if (typeof(T) == typeof(float))
        {
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Subtract(Vector512<T> a, Vector512<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Negate(Vector512<T> a) => -a;

    // Fold halves first (512→256→128 bits: 2 extracts + 2 adds), then sum 4 (or 2) lanes. Vector512.Sum sums four
    // 128-bit quarters separately (~25 instructions here); this is ~9 and the weight-gradient tiles do 24 per tile.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> value)
    {
        var half = value.GetLower() + value.GetUpper();
        return Vector128.Sum(half.GetLower() + half.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum4(Vector512<T> a, Vector512<T> b, Vector512<T> c, Vector512<T> d, T* destination)
        => Reduce4.Sum(Fold(a), Fold(b), Fold(c), Fold(d), destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Fold(Vector512<T> v)
    {
        var half = v.GetLower() + v.GetUpper();
        return half.GetLower() + half.GetUpper();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SelectUpper(Vector512<T> value, Vector512<T> other, int firstLane)
        => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(firstLane))), value, other);
}

/// <summary>256-bit registers: 8 floats or 4 doubles per <see cref="Vector256{T}"/> (AVX2+FMA; used when AVX-512 is off).</summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly unsafe partial struct Vector256Ops<T> : ISimdOps<T, Vector256<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;

    public static Vector256<T> Zero => Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(T* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, T* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Subtract(Vector256<T> a, Vector256<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Negate(Vector256<T> a) => -a;

    // Fold the 128-bit halves first, then sum 4 (or 2) lanes; see Vector512Ops.Sum.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> value) => Vector128.Sum(value.GetLower() + value.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum4(Vector256<T> a, Vector256<T> b, Vector256<T> c, Vector256<T> d, T* destination)
        => Reduce4.Sum(a.GetLower() + a.GetUpper(), b.GetLower() + b.GetUpper(), c.GetLower() + c.GetUpper(), d.GetLower() + d.GetUpper(), destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SelectUpper(Vector256<T> value, Vector256<T> other, int firstLane)
        => Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(firstLane))), value, other);
}

/// <summary>128-bit registers: 4 floats or 2 doubles per <see cref="Vector128{T}"/> (SSE/NEON; used when 256-bit vectors are not accelerated).</summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly unsafe partial struct Vector128Ops<T> : ISimdOps<T, Vector128<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector128<T>.Count;

    public static Vector128<T> Zero => Vector128<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(T* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, T* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Subtract(Vector128<T> a, Vector128<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Negate(Vector128<T> a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector128<T> value) => Vector128.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum4(Vector128<T> a, Vector128<T> b, Vector128<T> c, Vector128<T> d, T* destination)
        => Reduce4.Sum(a, b, c, d, destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SelectUpper(Vector128<T> value, Vector128<T> other, int firstLane)
        => Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(Vector128<T>.Indices, Vector128.Create(T.CreateTruncating(firstLane))), value, other);
}

/// <summary>One element per "register": the portable fallback (no hardware intrinsics) and the path for rows shorter than a vector.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly unsafe partial struct ScalarOps<T> : ISimdOps<T, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => 1;

    public static T Zero => T.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Load(T* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T value, T* destination) => *destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Broadcast(T value) => value;

    // Fused like the vector types' MultiplyAdd, so a result does not depend on the register width (the convolution's
    // oneDNN summation order is bit-exact only with one rounding per tap). One instruction where the CPU has FMA; with
    // hardware intrinsics switched off it is the C library's fma, slower but still correctly rounded.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd(T a, T b, T c) => T.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Add(T a, T b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Subtract(T a, T b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Multiply(T a, T b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Negate(T a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum4(T a, T b, T c, T d, T* destination)
    {
        destination[0] = a;
        destination[1] = b;
        destination[2] = c;
        destination[3] = d;
    }

    // Count is 1, so a tail never needs masking; firstLane is always 0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SelectUpper(T value, T other, int firstLane) => firstLane <= 0 ? value : other;
}

/// <summary>Sums of four 128-bit registers, reduced together.</summary>
internal static unsafe class Reduce4
{
    /// <summary>
    /// <c>destination[k] = Σ lanes of x_k</c>. Float on SSE: unpack-add pairs (x0,x1) and (x2,x3), then add the low and high
    /// halves across the two: 6 shuffles/adds for four sums, instead of ~4 each. Double on SSE2: unpack-add (x0,x1) and
    /// (x2,x3). Elsewhere: four <see cref="Vector128.Sum{T}"/>. Scalar equivalent: four lane sums.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum<T>(Vector128<T> x0, Vector128<T> x1, Vector128<T> x2, Vector128<T> x3, T* destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Sse.IsSupported)
        {
            Vector128<float> a = x0.AsSingle(), b = x1.AsSingle(), c = x2.AsSingle(), d = x3.AsSingle();
            var ab = Sse.UnpackLow(a, b) + Sse.UnpackHigh(a, b); // [a0+a2, b0+b2, a1+a3, b1+b3]
            var cd = Sse.UnpackLow(c, d) + Sse.UnpackHigh(c, d); // [c0+c2, d0+d2, c1+c3, d1+d3]
            (Sse.MoveLowToHigh(ab, cd) + Sse.MoveHighToLow(cd, ab)).Store((float*)destination);
            return;
        }

        if (typeof(T) == typeof(double) && Sse2.IsSupported)
        {
            Vector128<double> a = x0.AsDouble(), b = x1.AsDouble(), c = x2.AsDouble(), d = x3.AsDouble();
            (Sse2.UnpackLow(a, b) + Sse2.UnpackHigh(a, b)).Store((double*)destination);
            (Sse2.UnpackLow(c, d) + Sse2.UnpackHigh(c, d)).Store((double*)destination + 2);
            return;
        }

        destination[0] = Vector128.Sum(x0);
        destination[1] = Vector128.Sum(x1);
        destination[2] = Vector128.Sum(x2);
        destination[3] = Vector128.Sum(x3);
    }
}
