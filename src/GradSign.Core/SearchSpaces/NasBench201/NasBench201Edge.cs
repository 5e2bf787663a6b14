namespace GradSign.SearchSpaces.NasBench201;

/// <summary>One edge of a NAS-Bench-201 cell: the op on it maps node <see cref="From"/> into node <see cref="To"/>.</summary>
/// <param name="From">Source node (0 = cell input).</param>
/// <param name="To">Target node (3 = cell output).</param>
public readonly record struct NasBench201Edge(int From, int To)
{
    /// <summary>The six edges in architecture-string order: 0→1, 0→2, 1→2, 0→3, 1→3, 2→3.</summary>
    public static IReadOnlyList<NasBench201Edge> All { get; } =
        [new(0, 1), new(0, 2), new(1, 2), new(0, 3), new(1, 3), new(2, 3)];

    /// <summary>Position of the edge <paramref name="from"/>→<paramref name="to"/> in string order.</summary>
    /// <param name="from">Source node, 0..2.</param>
    /// <param name="to">Target node, 1..3, greater than <paramref name="from"/>.</param>
    /// <returns>0..5.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No such edge.</exception>
    public static int PositionOf(int from, int to)
    {
        if (to is < 1 or > 3 || from < 0 || from >= to)
        {
            throw new ArgumentOutOfRangeException(nameof(from), $"{from}->{to} is not a NAS-Bench-201 edge (need 0 <= from < to <= 3).");
        }

        // Node k's incoming edges start at position 0, 1, 3 for k = 1, 2, 3 (triangular numbers).
        return ((to - 1) * to / 2) + from;
    }

    /// <inheritdoc />
    public override string ToString() => $"{From}->{To}";
}
