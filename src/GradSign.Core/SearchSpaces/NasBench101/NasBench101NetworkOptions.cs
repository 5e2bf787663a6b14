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

    /// <summary>Throws when a field is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public void Validate()
    {
        if (StemChannels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(StemChannels), StemChannels, "StemChannels must be at least 1.");
        }

        if (Stacks is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(Stacks), Stacks, "Stacks must be 1..16.");
        }

        if (CellsPerStack < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CellsPerStack), CellsPerStack, "CellsPerStack must be at least 1.");
        }

        if (NumClasses < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(NumClasses), NumClasses, "NumClasses must be at least 1.");
        }

        var factor = 1 << (Stacks - 1);
        if (InputSize < factor || InputSize % factor != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, $"InputSize must be a positive multiple of {factor} ({Stacks - 1} 2x2 max pools).");
        }
    }
}
