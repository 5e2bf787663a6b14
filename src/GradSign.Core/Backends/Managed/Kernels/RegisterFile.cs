using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// How many vector registers the micro-kernels may keep live, which decides their tile shapes: AVX-512 CPUs have 32
/// (for 256-bit code too, through the EVEX encoding), AVX2 and SSE CPUs 16. A 24-accumulator tile spills on every step
/// with 16, so the GEMM kernels switch to tiles of at most 12 accumulators there. Tile shapes never change an element's
/// order of terms, so both give the same bits.
/// </summary>
internal static class RegisterFile
{
    /// <summary>Whether tiles of 24 accumulators (plus their operands, ≤ 29 registers) fit with <typeparamref name="TVec"/>
    /// registers: on an AVX-512 CPU, and always for 512-bit registers. A JIT-time constant.</summary>
    /// <typeparam name="TVec">The register type.</typeparam>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool HoldsWideTiles<TVec>()
        where TVec : unmanaged
        => Avx512F.IsSupported || Unsafe.SizeOf<TVec>() == 64;
}
