using GradSign.Data;
using GradSign.SearchSpaces.NasBench201;
using Microsoft.Extensions.Logging;

namespace GradSign.Cli.Studies;

/// <summary>NAS-Bench-201's table as a study's cells: the 15,625 benchmark indices, their architecture strings, accuracies
/// and <c>zc_c10_*</c>/<c>zc_img_*</c> columns; the published |ρ| of zero-cost-nas.</summary>
/// <param name="table">The loaded table.</param>
internal sealed class NasBench201StudyTable(NasBench201Table table) : IStudyTable
{
    /// <summary>The table.</summary>
    public NasBench201Table Table { get; } = table ?? throw new ArgumentNullException(nameof(table));

    /// <inheritdoc/>
    public string Space => "nb201";

    /// <inheritdoc/>
    public string Source => Table.Source;

    /// <inheritdoc/>
    public int Count => Table.Count;

    /// <inheritdoc/>
    public IReadOnlyList<string> Columns => Table.Columns;

    /// <summary>Loads <see cref="NasBench201Table.DefaultFile"/> from the data folder.</summary>
    /// <param name="dataFolder">Data folder.</param>
    /// <param name="logger">Optional logger.</param>
    /// <returns>The table.</returns>
    public static NasBench201StudyTable LoadDefault(string dataFolder, ILogger? logger = null) => new(NasBench201Table.LoadDefault(dataFolder, logger));

    /// <inheritdoc/>
    public bool HasColumn(string column) => Table.HasColumn(column);

    /// <inheritdoc/>
    public string Arch(int index) => Row(index).Arch;

    /// <inheritdoc/>
    public double Value(int index, string column) => Row(index)[column];

    /// <inheritdoc/>
    public string? PublishedScoreColumn(DatasetKind dataset, string proxyId)
        => PublishedCorrelations.SuiteZeroColumn(dataset, proxyId) is { } column && Table.HasColumn(column) ? column : null;

    /// <inheritdoc/>
    public double? PublishedAbsSpearman(DatasetKind dataset, string proxyId) => PublishedCorrelations.AbsSpearman(dataset, proxyId);

    private NasBench201Row Row(int index)
    {
        try
        {
            return Table.GetByIndex(index);
        }
        catch (KeyNotFoundException ex)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"NAS-Bench-201 has no cell {index}: {ex.Message}");
        }
    }
}
