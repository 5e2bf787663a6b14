using GradSign.Networks;

namespace GradSign.SearchSpaces.NasBench201;

/// <summary>Size and flavour of a NAS-Bench-201 network (see <see cref="NasBench201Network.Build(NasBench201Cell, NasBench201NetworkOptions?)"/>).</summary>
/// <param name="Channels">Stem channels C (16 in the benchmark); stages use C, 2C, 4C.</param>
/// <param name="CellsPerStage">Cells per stage N (5 in the benchmark).</param>
/// <param name="NumClasses">Logits: 10 (CIFAR-10), 100 (CIFAR-100), 120 (ImageNet16-120).</param>
/// <param name="InputSize">Input height and width: 32 (CIFAR) or 16 (ImageNet16-120); a positive multiple of 4.</param>
/// <param name="Variant">Which reference implementation to reproduce.</param>
public sealed record NasBench201NetworkOptions(
    int Channels = 16,
    int CellsPerStage = 5,
    int NumClasses = 10,
    int InputSize = 32,
    NasBench201Variant Variant = NasBench201Variant.ZeroCostNas)
{
    /// <summary>The benchmark's CIFAR-10 network in the zero-cost-nas flavour (C 16, N 5, 10 classes, 32×32).</summary>
    public static NasBench201NetworkOptions Default { get; } = new();

    /// <summary>The most cells per stage accepted (the benchmark has 5); deeper networks take unbounded time to build.</summary>
    private const int MaxCellsPerStage = 1000;

    /// <summary>
    /// Throws when a field is out of range, naming it and its value: sizes must be positive, at most
    /// <see cref="MaxCellsPerStage"/> cells per stage, and every tensor of the network (the last stage's 3×3 convolutions
    /// of 4C×4C×3×3 weights, the classifier's classes×4C, a C×size×size feature map) must fit one array.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public void Validate()
    {
        if (Channels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Channels), Channels, $"Channels (C) must be at least 1, got {Channels}.");
        }

        if (!TensorLimits.Fits(4L * Channels, 4L * Channels, 3, 3))
        {
            throw new ArgumentOutOfRangeException(nameof(Channels), Channels,
                $"Channels (C) {Channels} is too large: the last stage's 3x3 convolutions would have {TensorLimits.Format(TensorLimits.Elements(4L * Channels, 4L * Channels, 9))} weights; {TensorLimits.Limit}.");
        }

        if (CellsPerStage is < 1 or > MaxCellsPerStage)
        {
            throw new ArgumentOutOfRangeException(nameof(CellsPerStage), CellsPerStage, $"CellsPerStage (N) must be 1..{MaxCellsPerStage}, got {CellsPerStage}.");
        }

        if (NumClasses < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(NumClasses), NumClasses, $"NumClasses must be at least 1, got {NumClasses}.");
        }

        if (!TensorLimits.Fits(NumClasses, 4L * Channels))
        {
            throw new ArgumentOutOfRangeException(nameof(NumClasses), NumClasses,
                $"NumClasses {NumClasses} is too large: the classifier would have {TensorLimits.Format(TensorLimits.Elements(NumClasses, 4L * Channels))} weights with C = {Channels}; {TensorLimits.Limit}.");
        }

        if (InputSize < 4 || InputSize % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, $"InputSize must be a positive multiple of 4 (two stride-2 reductions), e.g. 32 or 16, got {InputSize}.");
        }

        if (!TensorLimits.Fits(Math.Max(3, Channels), InputSize, InputSize))
        {
            throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize,
                $"InputSize {InputSize} is too large: a feature map would have {TensorLimits.Format(TensorLimits.Elements(Math.Max(3, Channels), InputSize, InputSize))} values per image with C = {Channels}; {TensorLimits.Limit}.");
        }

        if (!Enum.IsDefined(Variant))
        {
            throw new ArgumentOutOfRangeException(nameof(Variant), Variant, $"Unknown NAS-Bench-201 variant {(int)Variant}.");
        }
    }
}
