using GradSign.Networks;

namespace GradSign.SearchSpaces.NasBench101;

/// <summary>Size of a NAS-Bench-101 network (see <see cref="NasBench101Network.Build(ModelSpec, NasBench101NetworkOptions?)"/>).</summary>
/// <param name="StemChannels">Stem width S (128 in the benchmark and zero-cost-nas; 16 in NASWOT and the fixtures).</param>
/// <param name="Stacks">Stacks of cells, separated by 2×2 max pools that double the channels (3).</param>
/// <param name="CellsPerStack">Cells per stack (3).</param>
/// <param name="NumClasses">Logits (10).</param>
/// <param name="InputSize">Input height and width (32); divisible by 2^(Stacks−1).</param>
public sealed record NasBench101NetworkOptions(
    int StemChannels = 128,
    int Stacks = 3,
    int CellsPerStack = 3,
    int NumClasses = 10,
    int InputSize = 32)
{
    /// <summary>The benchmark's network: stem 128, 3 stacks of 3 cells, 10 classes, 32×32 input.</summary>
    public static NasBench101NetworkOptions Default { get; } = new();

    /// <summary>The most cells per stack accepted (the benchmark has 3); deeper networks take unbounded time to build.</summary>
    private const int MaxCellsPerStack = 1000;

    /// <summary>
    /// Throws when a field is out of range, naming it and its value: sizes must be positive, 1..16 stacks, at most
    /// <see cref="MaxCellsPerStack"/> cells per stack, and every tensor of the network (a 3×3 convolution of the last stack,
    /// S·2^(stacks−1) channels wide; the classifier; the stem's feature map) must fit one array.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public void Validate()
    {
        if (StemChannels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(StemChannels), StemChannels, $"StemChannels must be at least 1, got {StemChannels}.");
        }

        if (Stacks is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(Stacks), Stacks, $"Stacks must be 1..16, got {Stacks}.");
        }

        var top = (long)StemChannels << (Stacks - 1);
        if (!TensorLimits.Fits(top, top, 3, 3))
        {
            throw new ArgumentOutOfRangeException(nameof(StemChannels), StemChannels,
                $"StemChannels {StemChannels} is too large for {Stacks} stacks: the last stack's 3x3 convolutions ({top} channels) would have {TensorLimits.Format(TensorLimits.Elements(top, top, 9))} weights; {TensorLimits.Limit}.");
        }

        if (CellsPerStack is < 1 or > MaxCellsPerStack)
        {
            throw new ArgumentOutOfRangeException(nameof(CellsPerStack), CellsPerStack, $"CellsPerStack must be 1..{MaxCellsPerStack}, got {CellsPerStack}.");
        }

        if (NumClasses < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(NumClasses), NumClasses, $"NumClasses must be at least 1, got {NumClasses}.");
        }

        if (!TensorLimits.Fits(NumClasses, top))
        {
            throw new ArgumentOutOfRangeException(nameof(NumClasses), NumClasses,
                $"NumClasses {NumClasses} is too large: the classifier would have {TensorLimits.Format(TensorLimits.Elements(NumClasses, top))} weights with {top} channels; {TensorLimits.Limit}.");
        }

        var factor = 1 << (Stacks - 1);
        if (InputSize < factor || InputSize % factor != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, $"InputSize must be a positive multiple of {factor} ({Stacks - 1} 2x2 max pools), got {InputSize}.");
        }

        if (!TensorLimits.Fits(Math.Max(3, StemChannels), InputSize, InputSize))
        {
            throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize,
                $"InputSize {InputSize} is too large: a feature map would have {TensorLimits.Format(TensorLimits.Elements(Math.Max(3, StemChannels), InputSize, InputSize))} values per image with {StemChannels} stem channels; {TensorLimits.Limit}.");
        }
    }
}
