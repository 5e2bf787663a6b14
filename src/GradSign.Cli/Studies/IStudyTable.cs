using GradSign.Data;

namespace GradSign.Cli.Studies;

/// <summary>
/// The cells a correlation study can score, with their trained accuracies and published proxy scores: NAS-Bench-201's
/// table (<see cref="NasBench201StudyTable"/>) or the NAS-Bench-101 sample's distinct cells (<see cref="NasBench101StudyTable"/>).
/// Cells are numbered 0..<see cref="Count"/>−1; that number is the results file's <c>index</c>.
/// </summary>
/// <threadsafety>Implementations are immutable.</threadsafety>
internal interface IStudyTable
{
    /// <summary>The search space's id as <c>--space</c> takes it (<c>nb201</c>, <c>nb101</c>).</summary>
    string Space { get; }

    /// <summary>The file the cells were read from, for messages.</summary>
    string Source { get; }

    /// <summary>Number of cells.</summary>
    int Count { get; }

    /// <summary>Numeric columns (targets and published <c>zc_*</c> scores).</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>Whether <paramref name="column"/> is a numeric column.</summary>
    /// <param name="column">Column name.</param>
    /// <returns>True when present.</returns>
    bool HasColumn(string column);

    /// <summary>The cell's architecture text as the results file's <c>arch</c> column holds it (canonical, so it also
    /// names the cell's random draws).</summary>
    /// <param name="index">Cell number.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No such cell.</exception>
    string Arch(int index);

    /// <summary>A numeric column of a cell.</summary>
    /// <param name="index">Cell number.</param>
    /// <param name="column">Column name.</param>
    /// <returns>The value (NaN when empty).</returns>
    /// <exception cref="ArgumentOutOfRangeException">No such cell.</exception>
    /// <exception cref="KeyNotFoundException">No such column.</exception>
    double Value(int index, string column);

    /// <summary>The published NAS-Bench-Suite-Zero score column of a proxy that this table has, or null.</summary>
    /// <param name="dataset">Dataset of the study's batches.</param>
    /// <param name="proxyId">Proxy id.</param>
    /// <returns>The column name, or null when the suite has none for the proxy or this table lacks it.</returns>
    string? PublishedScoreColumn(DatasetKind dataset, string proxyId);

    /// <summary>zero-cost-nas's published |ρ| for a proxy over this space, or null when none is published.</summary>
    /// <param name="dataset">Dataset.</param>
    /// <param name="proxyId">Proxy id.</param>
    /// <returns>The value or null.</returns>
    double? PublishedAbsSpearman(DatasetKind dataset, string proxyId);
}
