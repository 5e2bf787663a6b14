using System.Numerics;
using System.Runtime.CompilerServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>Packs the binary code (x &gt; 0) of each sample: bit <c>u % 64</c> of word <c>u / 64</c> is unit u.</summary>
internal static class ReluCodePack
{
    /// <summary>Packs <paramref name="batch"/> samples of <paramref name="units"/> values into <paramref name="wordsPerSample"/> words each.</summary>
    public static unsafe void Run<T>(ReadOnlySpan<T> x, int batch, int units, int wordsPerSample, Span<ulong> bits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(wordsPerSample, (units + 63) / 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(x.Length, batch * units, nameof(x));
        ArgumentOutOfRangeException.ThrowIfLessThan(bits.Length, batch * wordsPerSample, nameof(bits));
        fixed (T* xPtr = x)
        fixed (ulong* bitsPtr = bits)
        {
            SimdDispatch<T>.Run(new Pack<T>(xPtr, batch, units, wordsPerSample, bitsPtr));
        }
    }

    /// <summary><see cref="Run{T}"/> on one register width.</summary>
    private readonly unsafe struct Pack<T>(T* x, int batch, int units, int wordsPerSample, ulong* bits) : ISimdJob<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run<TVec, TOps>()
            where TVec : unmanaged
            where TOps : ISimdOps<T, TVec>
        {
            var fullWords = units / 64;
            for (var n = 0; n < batch; n++)
            {
                var row = x + ((long)n * units);
                var words = bits + ((long)n * wordsPerSample);
                for (var k = 0; k < fullWords; k++)
                {
                    words[k] = Word<TVec, TOps>(row + (k * 64));
                }

                // Scalar tail (the last, partial word): the same comparison, one unit at a time; NaN gives 0.
                if (fullWords < wordsPerSample)
                {
                    ulong word = 0;
                    for (var u = fullWords * 64; u < units; u++)
                    {
                        word |= ScalarOps<T>.PositiveBits(row + u) << (u & 63);
                    }

                    words[fullWords] = word;
                }
            }
        }

        /// <summary>
        /// The 64 codes of 64 consecutive values. Lane i of the register loaded at offset j is unit j + i, and
        /// <see cref="ISimdSignOps{T}.PositiveBits"/> puts its code in bit i, so shifting by j places unit u at bit u.
        /// Scalar equivalent: <c>for u &lt; 64: word |= (values[u] &gt; 0 ? 1 : 0) &lt;&lt; u</c>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong Word<TVec, TOps>(T* values)
            where TVec : unmanaged
            where TOps : ISimdOps<T, TVec>
        {
            ulong word = 0;
            for (var j = 0; j < 64; j += TOps.Count)
            {
                word |= TOps.PositiveBits(values + j) << j;
            }

            return word;
        }
    }
}
