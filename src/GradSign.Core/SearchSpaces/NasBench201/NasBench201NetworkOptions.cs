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

    /// <summary>Throws when a field is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public void Validate()
    {
        if (Channels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Channels), Channels, "Channels (C) must be at least 1.");
        }

        if (CellsPerStage < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CellsPerStage), CellsPerStage, "CellsPerStage (N) must be at least 1.");
        }

        if (NumClasses < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(NumClasses), NumClasses, "NumClasses must be at least 1.");
        }

        if (InputSize < 4 || InputSize % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, "InputSize must be a positive multiple of 4 (two stride-2 reductions), e.g. 32 or 16.");
        }

        if (!Enum.IsDefined(Variant))
        {
            throw new ArgumentOutOfRangeException(nameof(Variant), Variant, "Unknown NAS-Bench-201 variant.");
        }
    }
}
