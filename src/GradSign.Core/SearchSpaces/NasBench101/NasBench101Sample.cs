using System.Text.Json;
using GradSign.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradSign.SearchSpaces.NasBench101;

/// <summary>One row of <c>nas-bench-101/nb101_sample.csv</c> (NAS-Bench-Suite-Zero).</summary>
/// <param name="Hash">The NAS-Bench-101 module hash.</param>
/// <param name="Matrix">Upper-triangular adjacency matrix, <c>Matrix[i][j] == 1</c> for an edge i→j.</param>
/// <param name="Ops">Operation of each vertex (<c>input</c>, <c>conv3x3-bn-relu</c>, <c>conv1x1-bn-relu</c>, <c>maxpool3x3</c>, <c>output</c>).</param>
/// <param name="Values">Numeric columns: <c>val_accuracy_108</c> (108-epoch validation accuracy, %), <c>n_vertices_pruned</c>, published <c>zc_*</c> scores.</param>
public sealed record NasBench101Row(string Hash, IReadOnlyList<IReadOnlyList<int>> Matrix, IReadOnlyList<string> Ops, ColumnValues Values)
{
    /// <summary>108-epoch validation accuracy (%); no test accuracy is in this sample.</summary>
    public double ValidationAccuracy108 => Values.TryGetValue("val_accuracy_108", out var v) ? v : double.NaN;
}

/// <summary>The 500-row NAS-Bench-101 sample (292 distinct cells; a cell may occur more than once). For builder tests and rough correlations only.</summary>
public static class NasBench101Sample
{
    /// <summary>Relative path inside the data folder.</summary>
    public static readonly string DefaultFile = Path.Combine("nas-bench-101", "nb101_sample.csv");

    /// <summary>Loads <see cref="DefaultFile"/> from the data folder.</summary>
    /// <param name="dataFolder">Data folder.</param>
    /// <param name="logger">Optional logger.</param>
    /// <returns>Rows in file order.</returns>
    public static IReadOnlyList<NasBench101Row> LoadDefault(string dataFolder, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataFolder);
        DataFolder.VerifyChecksum(dataFolder, DefaultFile);
        return Load(Path.Combine(dataFolder, DefaultFile), logger);
    }

    /// <summary>Loads the sample; <c>matrix</c> and <c>ops</c> are JSON, <c>naslib_tuple</c> is skipped.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="logger">Optional logger.</param>
    /// <returns>Rows in file order.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Missing column, bad JSON, a non-square matrix or an ops list of the wrong length (row named).</exception>
    public static IReadOnlyList<NasBench101Row> Load(string path, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        logger ??= NullLogger.Instance;
        var csv = CsvTable.Open(path, "matrix", "ops", "nb101_hash");
        string[] text = ["naslib_tuple", "matrix", "ops", "nb101_hash"];
        var numeric = csv.Header.Select((name, position) => (name, position)).Where(c => !text.Contains(c.name)).ToArray();
        var names = numeric.Select(c => c.name).ToArray();
        var map = names.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i, StringComparer.Ordinal);
        var (matrixColumn, opsColumn, hashColumn) = (csv.IndexOf("matrix"), csv.IndexOf("ops"), csv.IndexOf("nb101_hash"));
        var rows = new List<NasBench101Row>();
        foreach (var (line, fields) in csv.Rows())
        {
            var matrix = ParseMatrix(fields[matrixColumn], path, line);
            var ops = ParseOps(fields[opsColumn], path, line);
            if (ops.Count != matrix.Count)
            {
                throw new InvalidDataException($"Table '{path}', line {line}: {ops.Count} ops for a {matrix.Count}-vertex matrix.");
            }

            var hash = fields[hashColumn];
            if (hash.Length != 32 || !hash.All(char.IsAsciiHexDigitLower))
            {
                throw new InvalidDataException($"Table '{path}', line {line}: nb101_hash '{CsvTable.Clip(hash)}' is not 32 lower-case hex digits.");
            }

            var values = new double[numeric.Length];
            for (var i = 0; i < numeric.Length; i++)
            {
                values[i] = CsvTable.ParseDouble(fields[numeric[i].position], path, line, numeric[i].name);
            }

            rows.Add(new NasBench101Row(hash, matrix, ops, new ColumnValues(map, names, values)));
        }

        if (rows.Count == 0)
        {
            throw new InvalidDataException($"Table '{path}' has a header but no rows.");
        }

        DataLog.TableLoaded(logger, rows.Count, names.Length, path);
        return rows;
    }

    private static List<IReadOnlyList<int>> ParseMatrix(string? json, string path, long line)
    {
        try
        {
            using var doc = JsonDocument.Parse(json ?? string.Empty);
            var matrix = doc.RootElement.EnumerateArray()
                .Select(r => (IReadOnlyList<int>)[.. r.EnumerateArray().Select(v => v.GetInt32())])
                .ToList();
            if (matrix.Count == 0 || matrix.Any(r => r.Count != matrix.Count))
            {
                throw new InvalidDataException($"Table '{path}', line {line}: the matrix is not square.");
            }

            return matrix;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"Table '{path}', line {line}: matrix '{CsvTable.Clip(json)}' is not a JSON integer matrix.", ex);
        }
    }

    private static List<string> ParseOps(string? json, string path, long line)
    {
        try
        {
            using var doc = JsonDocument.Parse(json ?? string.Empty);
            return [.. doc.RootElement.EnumerateArray().Select(v => v.GetString() ?? string.Empty)];
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new InvalidDataException($"Table '{path}', line {line}: ops '{CsvTable.Clip(json)}' is not a JSON string list.", ex);
        }
    }
}
