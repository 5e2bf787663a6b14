using GradSign.Networks;

namespace GradSign.Backends.Execution;

/// <summary>Bit-packed ReLU codes of one layer for a whole batch.</summary>
/// <param name="Layer">Index of the <see cref="ReluLayer"/> in <see cref="NetworkSpec.Layers"/>.</param>
/// <param name="Units">Bits per sample (C·H·W of the ReLU input).</param>
/// <param name="WordsPerSample">64-bit words per sample: ⌈Units / 64⌉; unused high bits of the last word are zero.</param>
/// <param name="Bits">Count·WordsPerSample words; bit <c>u % 64</c> of word <c>u / 64</c> of sample n is (input[n, u] &gt; 0).</param>
public readonly ref struct ReluCodeBlock(int Layer, int Units, int WordsPerSample, ReadOnlySpan<ulong> Bits)
{
    /// <summary>Index of the ReLU layer.</summary>
    public int Layer { get; } = Layer;

    /// <summary>Bits per sample.</summary>
    public int Units { get; } = Units;

    /// <summary>Words per sample.</summary>
    public int WordsPerSample { get; } = WordsPerSample;

    /// <summary>The packed codes.</summary>
    public ReadOnlySpan<ulong> Bits { get; } = Bits;
}
