namespace GradSign.Cli.Studies;

/// <summary>Scores one NAS-Bench-201 cell with every proxy of a study.</summary>
internal interface ICellScorer
{
    /// <summary>Proxy ids, in the order <see cref="Score"/> returns them.</summary>
    IReadOnlyList<string> ProxyIds { get; }

    /// <summary>Scores a cell. Must depend only on the cell (its index and arch) and the study's settings, never on which
    /// cells were scored before — that is what makes <c>--resume</c> and <c>--shard</c> give the same numbers.</summary>
    /// <param name="index">Benchmark index.</param>
    /// <param name="arch">Architecture string.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>Scores and wall times in seconds, in <see cref="ProxyIds"/> order.</returns>
    CellScores Score(int index, string arch, CancellationToken cancellationToken);
}

/// <summary>One cell's proxy scores and wall times (seconds), in proxy order.</summary>
/// <param name="Values">Scores.</param>
/// <param name="Seconds">Wall times.</param>
internal sealed record CellScores(IReadOnlyList<double> Values, IReadOnlyList<double> Seconds);
