namespace GradSign.Search;

/// <summary>
/// A NAS-Bench-101 cell as a searcher handles it: the 21 bits of the upper-triangular 7 × 7 adjacency matrix and the
/// operations of the 5 interior vertices (0 = <c>conv3x3-bn-relu</c>, 1 = <c>conv1x1-bn-relu</c>, 2 = <c>maxpool3x3</c>),
/// unpruned, as NAS-Bench-101's own search examples keep it. Value equality; not canonicalised (two genotypes may prune
/// to the same module).
/// </summary>
/// <param name="EdgeBits">Bit k set = edge k in row-major upper-triangular order (0→1, 0→2, …, 0→6, 1→2, …, 5→6).</param>
/// <param name="OperationCode">Interior operations as a base-3 number, vertex 1 most significant.</param>
public readonly record struct NasBench101Genotype(int EdgeBits, int OperationCode)
{
    /// <summary>Vertices of a full cell (input, 5 interior, output).</summary>
    public const int Vertices = 7;

    /// <summary>Upper-triangular positions, 7·6/2.</summary>
    public const int EdgeSlots = 21;

    /// <summary>Interior vertices carrying an operation.</summary>
    public const int OperationSlots = 5;

    /// <summary>Choices per interior vertex.</summary>
    public const int OperationChoices = 3;

    /// <summary>Operation names in code order, as NAS-Bench-101 spells them.</summary>
    public static IReadOnlyList<string> OperationNames { get; } = ["conv3x3-bn-relu", "conv1x1-bn-relu", "maxpool3x3"];

    /// <summary>The bit index of edge <paramref name="from"/>→<paramref name="to"/>.</summary>
    /// <param name="from">Source vertex, 0..5.</param>
    /// <param name="to">Target vertex, greater than <paramref name="from"/>, at most 6.</param>
    /// <returns>0..20.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Not an upper-triangular position.</exception>
    public static int EdgeIndex(int from, int to)
    {
        if (from < 0 || to >= Vertices || from >= to)
        {
            throw new ArgumentOutOfRangeException(nameof(from), $"{from}->{to} is not an upper-triangular position of a {Vertices}-vertex cell.");
        }

        // Rows 0..from-1 hold 6 + 5 + … entries.
        return (from * ((2 * Vertices) - from - 1) / 2) + (to - from - 1);
    }

    /// <summary>Whether the edge <paramref name="from"/>→<paramref name="to"/> is present.</summary>
    /// <param name="from">Source vertex.</param>
    /// <param name="to">Target vertex.</param>
    /// <returns>True when present.</returns>
    public bool HasEdge(int from, int to) => (EdgeBits & (1 << EdgeIndex(from, to))) != 0;

    /// <summary>The operation (0..2) of interior vertex <paramref name="vertex"/> (1..5).</summary>
    /// <param name="vertex">Interior vertex.</param>
    /// <returns>The operation code.</returns>
    public int OperationOf(int vertex)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vertex, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(vertex, OperationSlots);
        var code = OperationCode;
        for (var v = OperationSlots; v > vertex; v--)
        {
            code /= OperationChoices;
        }

        return code % OperationChoices;
    }

    /// <summary>Number of edges (unpruned).</summary>
    public int EdgeCount => System.Numerics.BitOperations.PopCount((uint)EdgeBits);
}
