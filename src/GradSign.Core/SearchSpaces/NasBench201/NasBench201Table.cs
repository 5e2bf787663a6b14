using GradSign.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradSign.SearchSpaces.NasBench201;

/// <summary>
/// A NAS-Bench-201 results table (<c>nas-bench-201/nb201.csv.gz</c>: 200-epoch accuracies and published zero-cost scores of
/// all 15,625 cells; <c>nb201_12epoch.csv.gz</c>: 12-epoch accuracies), with lookup by index and by architecture string.
/// </summary>
/// <threadsafety>Immutable.</threadsafety>
public sealed class NasBench201Table
{
    /// <summary>Relative path of the 200-epoch table inside the data folder.</summary>
    public static readonly string DefaultFile = Path.Combine("nas-bench-201", "nb201.csv.gz");

    /// <summary>Relative path of the 12-epoch table inside the data folder.</summary>
    public static readonly string TwelveEpochFile = Path.Combine("nas-bench-201", "nb201_12epoch.csv.gz");

    private readonly Dictionary<int, NasBench201Row> _byIndex;
    private readonly Dictionary<string, NasBench201Row> _byArch;

    private NasBench201Table(string source, IReadOnlyList<string> columns, List<NasBench201Row> rows)
    {
        Source = source;
        Columns = columns;
        Rows = rows;
        _byIndex = new Dictionary<int, NasBench201Row>(rows.Count);
        _byArch = new Dictionary<string, NasBench201Row>(rows.Count, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!_byIndex.TryAdd(row.Index, row))
            {
                throw new InvalidDataException($"Table '{source}' has index {row.Index} twice.");
            }

            if (!_byArch.TryAdd(row.Arch, row))
            {
                throw new InvalidDataException($"Table '{source}' has architecture '{row.Arch}' twice (indices {_byArch[row.Arch].Index} and {row.Index}).");
            }
        }
    }

    /// <summary>Where the table was read from.</summary>
    public string Source { get; }

    /// <summary>Names of the numeric columns, in header order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Rows in file order (index order for the shared files).</summary>
    public IReadOnlyList<NasBench201Row> Rows { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Rows.Count;

    /// <summary>Whether the table has a numeric column.</summary>
    /// <param name="column">Column name.</param>
    /// <returns>True when present.</returns>
    public bool HasColumn(string column) => Rows.Count > 0 ? Rows[0].Values.ContainsKey(column) : Columns.Contains(column);

    /// <summary>The row of a benchmark index.</summary>
    /// <param name="index">Index.</param>
    /// <returns>The row.</returns>
    /// <exception cref="KeyNotFoundException">No such index (named).</exception>
    public NasBench201Row GetByIndex(int index) => _byIndex.TryGetValue(index, out var row)
        ? row
        : throw new KeyNotFoundException($"Table '{Source}' has no index {index}.");

    /// <summary>The row of an architecture string, if present.</summary>
    /// <param name="arch">Canonical architecture string.</param>
    /// <param name="row">The row, or null.</param>
    /// <returns>True when found.</returns>
    public bool TryGetByArch(string arch, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NasBench201Row? row)
    {
        ArgumentNullException.ThrowIfNull(arch);
        return _byArch.TryGetValue(arch, out row);
    }

    /// <summary>The row of an architecture string.</summary>
    /// <param name="arch">Canonical architecture string.</param>
    /// <returns>The row.</returns>
    /// <exception cref="KeyNotFoundException">No such architecture (named).</exception>
    public NasBench201Row GetByArch(string arch) => TryGetByArch(arch, out var row)
        ? row
        : throw new KeyNotFoundException($"Table '{Source}' has no architecture '{CsvTable.Clip(arch)}'.");

    /// <summary>Loads the 200-epoch table <see cref="DefaultFile"/> from the data folder.</summary>
    /// <param name="dataFolder">Data folder.</param>
    /// <param name="logger">Optional logger.</param>
    /// <returns>The table.</returns>
    public static NasBench201Table LoadDefault(string dataFolder, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataFolder);
        DataFolder.VerifyChecksum(dataFolder, DefaultFile);
        return Load(Path.Combine(dataFolder, DefaultFile), logger);
    }

    /// <summary>Loads the 12-epoch table <see cref="TwelveEpochFile"/> from the data folder.</summary>
    /// <param name="dataFolder">Data folder.</param>
    /// <param name="logger">Optional logger.</param>
    /// <returns>The table.</returns>
    public static NasBench201Table LoadTwelveEpoch(string dataFolder, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataFolder);
        DataFolder.VerifyChecksum(dataFolder, TwelveEpochFile);
        return Load(Path.Combine(dataFolder, TwelveEpochFile), logger);
    }

    /// <summary>
    /// Loads a table (CSV, gzip'd when the name ends in <c>.gz</c>), checking that it is
    /// whole: gzip integrity, a final line break, and every one of the 15,625 cells exactly once. Needs <c>index</c> and
    /// <c>arch</c> columns; <c>unique_str</c> and <c>has_dead_edge</c> are read when present; every other column is numeric
    /// (empty → NaN).
    /// </summary>
    /// <param name="path">CSV or CSV.gz file.</param>
    /// <param name="logger">Optional logger.</param>
    /// <returns>The table.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is truncated or corrupt, a column is missing or named twice, a cell
    /// is malformed (row and column named), or the table does not hold each of the 15,625 cells exactly once (indices
    /// 0..15,624, canonical architecture strings).</exception>
    public static NasBench201Table Load(string path, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        logger ??= NullLogger.Instance;
        var csv = CsvTable.Open(path, NasBench201Columns.Index, NasBench201Columns.Arch);
        var header = csv.Header;
        var textColumns = new HashSet<string>(StringComparer.Ordinal)
        {
            NasBench201Columns.Index, NasBench201Columns.Arch, NasBench201Columns.UniqueStr, NasBench201Columns.HasDeadEdge,
        };
        var numeric = header.Select((name, position) => (name, position)).Where(c => !textColumns.Contains(c.name)).ToArray();
        var names = numeric.Select(c => c.name).ToArray();
        var map = names.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i, StringComparer.Ordinal);
        var (index, arch) = (csv.IndexOf(NasBench201Columns.Index), csv.IndexOf(NasBench201Columns.Arch));
        var (unique, dead) = (csv.IndexOf(NasBench201Columns.UniqueStr), csv.IndexOf(NasBench201Columns.HasDeadEdge));
        var rows = new List<NasBench201Row>(NasBench201Cell.CellCount);
        foreach (var (line, fields) in csv.Rows())
        {
            if (!int.TryParse(fields[index], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var cellIndex)
                || cellIndex >= NasBench201Cell.CellCount)
            {
                throw new InvalidDataException($"Table '{path}', line {line}: index '{CsvTable.Clip(fields[index])}' is not an integer in 0..{NasBench201Cell.CellCount - 1}.");
            }

            if (!IsCanonicalArch(fields[arch]))
            {
                throw new InvalidDataException($"Table '{path}', line {line}: arch '{CsvTable.Clip(fields[arch])}' is not a canonical NAS-Bench-201 architecture string.");
            }

            var values = new double[numeric.Length];
            for (var i = 0; i < numeric.Length; i++)
            {
                values[i] = CsvTable.ParseDouble(fields[numeric[i].position], path, line, numeric[i].name);
            }

            rows.Add(new NasBench201Row(
                cellIndex,
                fields[arch],
                unique >= 0 ? fields[unique] : null,
                dead >= 0 ? CsvTable.ParseBool(fields[dead], path, line, NasBench201Columns.HasDeadEdge) : null,
                new ColumnValues(map, names, values)));
        }

        if (rows.Count != NasBench201Cell.CellCount)
        {
            throw new InvalidDataException($"Table '{path}' is incomplete: {rows.Count} rows, but NAS-Bench-201 has {NasBench201Cell.CellCount} cells.");
        }

        DataLog.TableLoaded(logger, rows.Count, names.Length, path);
        return new NasBench201Table(path, names, rows);
    }

    private static bool IsCanonicalArch(string arch)
    {
        try
        {
            return string.Equals(NasBench201Cell.Parse(arch).ToString(), arch, StringComparison.Ordinal);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
