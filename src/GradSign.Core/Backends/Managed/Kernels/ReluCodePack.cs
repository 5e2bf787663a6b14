using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>Packs the binary code (x &gt; 0) of each sample: bit <c>u % 64</c> of word <c>u / 64</c> is unit u.</summary>
internal static class ReluCodePack
{
    /// <summary>Packs <paramref name="batch"/> samples of <paramref name="units"/> values into <paramref name="wordsPerSample"/> words each.</summary>
    public static void Run<T>(ReadOnlySpan<T> x, int batch, int units, int wordsPerSample, Span<ulong> bits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var fullWords = units / 64;
        for (var n = 0; n < batch; n++)
        {
            var row = x.Slice(n * units, units);
            var words = bits.Slice(n * wordsPerSample, wordsPerSample);
            for (var k = 0; k < fullWords; k++)
            {
                words[k] = Word(row.Slice(k * 64, 64));
            }

            // Scalar tail (the last, partial word): the same comparison, one unit at a time; NaN gives 0.
            if (fullWords < wordsPerSample)
            {
                ulong word = 0;
                for (var u = fullWords * 64; u < units; u++)
                {
                    word |= (row[u] > T.Zero ? 1UL : 0UL) << (u & 63);
                }

                words[fullWords] = word;
            }
        }
    }

    /// <summary>
    /// The 64 codes of 64 consecutive values. Lane i of the vector loaded at offset j is unit j + i, and
    /// ExtractMostSignificantBits puts lane i's comparison (all ones when x &gt; 0, false for NaN) in bit i, so
    /// shifting by j places unit u at bit u.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Word<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var v = ref MemoryMarshal.GetReference(values);
        ulong word = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (var j = 0; j < 64; j += Vector256<T>.Count)
            {
                var mask = Vector256.GreaterThan(Vector256.LoadUnsafe(ref v, (nuint)j), Vector256<T>.Zero);
                word |= (ulong)mask.ExtractMostSignificantBits() << j;
            }
        }
        else if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported)
        {
            for (var j = 0; j < 64; j += Vector128<T>.Count)
            {
                var mask = Vector128.GreaterThan(Vector128.LoadUnsafe(ref v, (nuint)j), Vector128<T>.Zero);
                word |= (ulong)mask.ExtractMostSignificantBits() << j;
            }
        }
        else
        {
            for (var u = 0; u < 64; u++)
            {
                word |= (Unsafe.Add(ref v, u) > T.Zero ? 1UL : 0UL) << u;
            }
        }

        return word;
    }
}
