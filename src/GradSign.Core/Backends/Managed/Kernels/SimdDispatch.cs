using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// A kernel body written once over the register width. <see cref="SimdDispatch{T}"/> picks the width and calls
/// <see cref="Run{TVec, TOps}"/> with it; the job's fields are the kernel's arguments.
/// </summary>
/// <typeparam name="T">The element type (float or double on the vector paths).</typeparam>
/// <remarks>Implement it on a <c>struct</c>: the call is then resolved when the JIT compiles the dispatcher for that job
/// type, and each (TVec, TOps) instantiation is compiled separately with the ops inlined, so nothing in a loop goes
/// through the interface.</remarks>
internal interface ISimdJob<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Runs the kernel on registers of <typeparamref name="TVec"/> (<see cref="Vector512{T}"/>,
    /// <see cref="Vector256{T}"/>, <see cref="Vector128{T}"/>, or <typeparamref name="T"/> itself for scalar code)
    /// through the operations <typeparamref name="TOps"/>.</summary>
    /// <typeparam name="TVec">The register type.</typeparam>
    /// <typeparam name="TOps">The operations on <typeparamref name="TVec"/>.</typeparam>
    void Run<TVec, TOps>()
        where TVec : unmanaged
        where TOps : ISimdOps<T, TVec>;
}

/// <summary>
/// The one place that chooses a register width for the managed kernels: the widest that the JIT reports as hardware
/// accelerated, so <c>DOTNET_EnableAVX512=0</c> runs the Vector256 path, <c>DOTNET_EnableAVX=0</c> the Vector128 path
/// and <c>DOTNET_EnableHWIntrinsic=0</c> the scalar path (<see cref="ScalarOps{T}"/>).
/// </summary>
/// <typeparam name="T">The element type; one without vector support (not float or double) always runs the scalar path.</typeparam>
/// <remarks>The tests are JIT-time constants: only the chosen branch is compiled, and the dispatch, inlined into its
/// caller, costs nothing at run time.</remarks>
internal static class SimdDispatch<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Runs <paramref name="job"/> on the widest accelerated registers: Vector512, else Vector256, else Vector128,
    /// else scalar.</summary>
    /// <typeparam name="TJob">The kernel body.</typeparam>
    /// <param name="job">The kernel and its arguments.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TJob>(TJob job)
        where TJob : struct, ISimdJob<T>
        => RunFitting(job, int.MaxValue); // a constant: the length tests fold away

    /// <summary>Runs <paramref name="job"/> on the widest accelerated registers that hold at most <paramref name="length"/>
    /// elements, else scalar: for short rows, where a narrower register still does whole steps (16 floats or more: Vector512,
    /// 8–15: Vector256, 4–7: Vector128, fewer: scalar, on an AVX-512 machine).</summary>
    /// <typeparam name="TJob">The kernel body.</typeparam>
    /// <param name="job">The kernel and its arguments.</param>
    /// <param name="length">The number of elements the job works on.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RunFitting<TJob>(TJob job, int length)
        where TJob : struct, ISimdJob<T>
    {
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && length >= Vector512<T>.Count)
        {
            job.Run<Vector512<T>, Vector512Ops<T>>();
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && length >= Vector256<T>.Count)
        {
            job.Run<Vector256<T>, Vector256Ops<T>>();
        }
        else if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported && length >= Vector128<T>.Count)
        {
            job.Run<Vector128<T>, Vector128Ops<T>>();
        }
        else
        {
            job.Run<T, ScalarOps<T>>();
        }
    }
}
