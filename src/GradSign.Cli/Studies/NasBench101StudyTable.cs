using GradSign.Data;
using GradSign.SearchSpaces.NasBench101;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradSign.Cli.Studies;

/// <summary>
/// The NAS-Bench-101 sample (<see cref="NasBench101Sample"/>, NAS-Bench-Suite-Zero's 500 rows) as a study's cells: one cell
/// per distinct <c>nb101_hash</c>, numbered 0, 1, … in the order of each hash's first row in the file. A cell's
/// architecture is the pruned spec of that first row (<see cref="ModelSpec.ToJson"/>; rows of one hash may list
/// isomorphic specs with the vertices in another order); each numeric column — <c>val_accuracy_108</c>, the published
/// <c>zc_*</c> scores — is the mean over the hash's rows, summed in file order (the sample repeats some cells with
/// accuracies of different training runs).
/// </summary>
/// <threadsafety>Immutable.</threadsafety>
internal sealed class NasBench101StudyTable : IStudyTable
{
    /// <summary>The target column: 108-epoch validation accuracy (%), the only accuracy in the sample.</summary>
    public const string Target = "val_accuracy_108";

    private readonly string[] _arch;
    private readonly double[][] _values;
    private readonly Dictionary<string, int> _columns;

    private NasBench101StudyTable(string source, string[] columns, string[] arch, double[][] values, string[] hashes, int rows, int cellsWithDifferingTarget, int cellsWithOtherSpecs)
    {
        Source = source;
        Columns = columns;
        _columns = columns.Select((c, i) => (c, i)).ToDictionary(c => c.c, c => c.i, StringComparer.Ordinal);
        _arch = arch;
        _values = values;
        Hashes = hashes;
        RowCount = rows;
        CellsWithDifferingTarget = cellsWithDifferingTarget;
        CellsWithOtherSpecs = cellsWithOtherSpecs;
    }

    /// <inheritdoc/>
    public string Space => "nb101";

    /// <inheritdoc/>
    public string Source { get; }

    /// <inheritdoc/>
    public int Count => _arch.Length;

    /// <inheritdoc/>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Each cell's <c>nb101_hash</c>, by cell number.</summary>
    public IReadOnlyList<string> Hashes { get; }

    /// <summary>Rows of the sample the cells were built from.</summary>
    public int RowCount { get; }

    /// <summary>Cells whose rows give more than one <see cref="Target"/> value (averaged).</summary>
    public int CellsWithDifferingTarget { get; }

    /// <summary>Cells whose rows prune to more than one spec (isomorphic orderings; the first row's is used).</summary>
    public int CellsWithOtherSpecs { get; }

    /// <summary>Loads <see cref="NasBench101Sample.DefaultFile"/> from the data folder (checked against its SHA-256 when the
    /// folder lists one).</summary>
    /// <param name="dataFolder">Data folder.</param>
    /// <param name="logger">Optional logger (the duplicate counts are logged at Information).</param>
    /// <returns>The cells.</returns>
    /// <exception cref="FileNotFoundException">No sample in the data folder.</exception>
    /// <exception cref="InvalidDataException">A malformed row, or a row whose spec is not a valid NAS-Bench-101 cell.</exception>
    public static NasBench101StudyTable LoadDefault(string dataFolder, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataFolder);
        return FromRows(NasBench101Sample.LoadDefault(dataFolder, logger), Path.Combine(dataFolder, NasBench101Sample.DefaultFile), logger);
    }

    /// <summary>Groups sample rows into cells (see the type's remarks).</summary>
    /// <param name="rows">Rows in file order.</param>
    /// <param name="source">Their file, for messages.</param>
    /// <param name="logger">Optional logger.</param>
    /// <returns>The cells.</returns>
    /// <exception cref="InvalidDataException">No rows, a row without <see cref="Target"/>, rows with other columns, or an invalid spec.</exception>
    public static NasBench101StudyTable FromRows(IReadOnlyList<NasBench101Row> rows, string source, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        logger ??= NullLogger.Instance;
        if (rows.Count == 0)
        {
            throw new InvalidDataException($"'{source}' has no rows.");
        }

        var columns = rows[0].Values.Keys.ToArray();
        if (!rows[0].Values.ContainsKey(Target))
        {
            throw new InvalidDataException($"'{source}' has no {Target} column; columns: {string.Join(", ", columns)}.");
        }

        var groups = new List<List<NasBench101Row>>();
        var byHash = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!byHash.TryGetValue(row.Hash, out var cell))
            {
                cell = groups.Count;
                byHash.Add(row.Hash, cell);
                groups.Add([]);
            }

            groups[cell].Add(row);
        }

        var arch = new string[groups.Count];
        var values = new double[groups.Count][];
        var (differingTarget, otherSpecs) = (0, 0);
        for (var c = 0; c < groups.Count; c++)
        {
            var specs = groups[c].Select(r => Spec(r, source)).Distinct(StringComparer.Ordinal).ToList();
            arch[c] = specs[0];
            otherSpecs += specs.Count > 1 ? 1 : 0;
            differingTarget += groups[c].Select(r => r.Values[Target]).Distinct().Count() > 1 ? 1 : 0;
            values[c] = new double[columns.Length];
            for (var k = 0; k < columns.Length; k++)
            {
                var sum = 0.0;
                foreach (var row in groups[c])
                {
                    sum += row.Values[columns[k]];
                }

                values[c][k] = sum / groups[c].Count;
            }
        }

        var table = new NasBench101StudyTable(source, columns, arch, values, [.. groups.Select(g => g[0].Hash)], rows.Count, differingTarget, otherSpecs);
        StudyRunLog.Nb101CellsLoaded(logger, rows.Count, groups.Count, groups.Count(g => g.Count > 1), differingTarget, otherSpecs, source);
        return table;
    }

    /// <inheritdoc/>
    public bool HasColumn(string column) => _columns.ContainsKey(column);

    /// <inheritdoc/>
    public string Arch(int index) => _arch[Checked(index)];

    /// <inheritdoc/>
    public double Value(int index, string column)
        => _columns.TryGetValue(column, out var k)
            ? _values[Checked(index)][k]
            : throw new KeyNotFoundException($"'{Source}' has no column '{column}'; columns: {string.Join(", ", Columns)}.");

    /// <inheritdoc/>
    /// <remarks>The sample's columns are NAS-Bench-Suite-Zero's CIFAR-10 scores without a dataset infix (<c>zc_synflow</c>,
    /// <c>zc_jacov</c>, …); it has none for NASWOT, Zen or GradSign.</remarks>
    public string? PublishedScoreColumn(DatasetKind dataset, string proxyId)
        => dataset == DatasetKind.Cifar10 && PublishedCorrelations.SuiteZeroName(proxyId) is { } name && HasColumn("zc_" + name) ? "zc_" + name : null;

    /// <inheritdoc/>
    /// <remarks>zero-cost-nas published no NAS-Bench-101 numbers for this sample: always null.</remarks>
    public double? PublishedAbsSpearman(DatasetKind dataset, string proxyId) => null;

    private int Checked(int index)
        => (uint)index < (uint)_arch.Length ? index : throw new ArgumentOutOfRangeException(nameof(index), index, $"'{Source}' has cells 0..{_arch.Length - 1}.");

    private static string Spec(NasBench101Row row, string source)
    {
        try
        {
            return new ModelSpec(row.Matrix, row.Ops).ToJson();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"'{source}': the row of hash {row.Hash} is not a valid NAS-Bench-101 cell: {ex.Message}", ex);
        }
    }
}
