namespace GradSign.Cli.Studies;

/// <summary>Scores one cell of a study's search space with every proxy of the study.</summary>
internal interface ICellScorer
{
    /// <summary>Proxy ids, in the order <see cref="Score"/> returns them.</summary>
    IReadOnlyList<string> ProxyIds { get; }

    /// <summary>Scores a cell. Must depend only on the cell (its index and arch) and the study's settings, never on which
    /// cells were scored before — that is what makes <c>--resume</c> and <c>--shard</c> give the same numbers.</summary>
    /// <param name="index">Cell number (<see cref="IStudyTable"/>).</param>
    /// <param name="arch">Architecture text (<see cref="IStudyTable.Arch"/>).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>Scores and wall times in seconds, in <see cref="ProxyIds"/> order.</returns>
    CellScores Score(int index, string arch, CancellationToken cancellationToken);
}

/// <summary>One cell's proxy scores and wall times (seconds), in proxy order.</summary>
/// <param name="Values">Scores.</param>
/// <param name="Seconds">Wall times.</param>
internal sealed record CellScores(IReadOnlyList<double> Values, IReadOnlyList<double> Seconds);
