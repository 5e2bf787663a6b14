using System.Numerics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>Packs the binary code (x &gt; 0) of each sample: bit <c>u % 64</c> of word <c>u / 64</c> is unit u.</summary>
internal static class ReluCodePack
{
    /// <summary>Packs <paramref name="batch"/> samples of <paramref name="units"/> values into <paramref name="wordsPerSample"/> words each.</summary>
    public static void Run<T>(ReadOnlySpan<T> x, int batch, int units, int wordsPerSample, Span<ulong> bits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bits[..(batch * wordsPerSample)].Clear();
        for (var n = 0; n < batch; n++)
        {
            var row = x.Slice(n * units, units);
            var words = bits.Slice(n * wordsPerSample, wordsPerSample);
            for (var u = 0; u < units; u++)
            {
                if (row[u] > T.Zero)
                {
                    words[u >> 6] |= 1UL << (u & 63);
                }
            }
        }
    }
}
