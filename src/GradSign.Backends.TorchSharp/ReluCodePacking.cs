using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace GradSign.Backends.TorchSharp;

/// <summary>Bit-packs the binary codes (input &gt; 0) of a ReLU input, the layout of <see cref="Execution.ReluCodeBlock"/>.</summary>
internal static class ReluCodePacking
{
    /// <summary>Packs <paramref name="input"/> ([N, …], any device) into ⌈units/64⌉ words per sample.</summary>
    public static (int Units, int Words, ulong[] Bits) Pack(Tensor input, int count)
    {
        using var positive = input.gt(0).reshape(count, -1).to(CPU).contiguous();
        var units = (int)positive.shape[1];
        var words = (units + 63) / 64;
        var bits = new ulong[count * words];
        ReadOnlySpan<byte> flags = positive.bytes; // torch.bool: one byte, 0 or 1
        for (var n = 0; n < count; n++)
        {
            Pack(flags.Slice(n * units, units), bits.AsSpan(n * words, words));
        }

        return (units, words, bits);
    }

    /// <summary>Sets bit <c>u % 64</c> of word <c>u / 64</c> where <c>flags[u] ≠ 0</c>; the words start cleared.</summary>
    /// <remarks>
    /// Scalar equivalent: <c>for u: words[u / 64] |= (ulong)(flags[u] != 0 ? 1 : 0) &lt;&lt; (u % 64)</c>.
    /// Vector path: 64 flag bytes fill the 64 byte lanes of a Vector512 (or two Vector256 halves); comparing with zero
    /// gives 0xFF per set lane and the lanes' most significant bits, in lane order, are exactly one 64-bit word.
    /// </remarks>
    internal static void Pack(ReadOnlySpan<byte> flags, Span<ulong> words)
    {
        var w = 0;
        var u = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; u + 64 <= flags.Length; u += 64, w++)
            {
                words[w] = Vector512.GreaterThan(Vector512.Create(flags.Slice(u, 64)), Vector512<byte>.Zero).ExtractMostSignificantBits();
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; u + 64 <= flags.Length; u += 64, w++)
            {
                ulong low = Vector256.GreaterThan(Vector256.Create(flags.Slice(u, 32)), Vector256<byte>.Zero).ExtractMostSignificantBits();
                ulong high = Vector256.GreaterThan(Vector256.Create(flags.Slice(u + 32, 32)), Vector256<byte>.Zero).ExtractMostSignificantBits();
                words[w] = low | (high << 32);
            }
        }

        for (; u < flags.Length; u++)
        {
            if (flags[u] != 0)
            {
                words[u / 64] |= 1UL << (u % 64);
            }
        }
    }
}
