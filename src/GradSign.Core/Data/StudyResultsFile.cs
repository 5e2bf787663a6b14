using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradSign.Data;

/// <summary>The rows of a results file and what reading it found.</summary>
/// <param name="Path">The file.</param>
/// <param name="Schema">Its columns.</param>
/// <param name="Rows">Complete rows in file order.</param>
/// <param name="PartialTailBytes">Bytes of an unterminated last line (a run killed mid-write) that were not read; 0 when the file ends cleanly.</param>
public sealed record StudyResults(string Path, StudyResultsSchema Schema, IReadOnlyList<StudyRow> Rows, long PartialTailBytes);

/// <summary>
/// Reads, repairs and merges correlation-study results files (see <see cref="StudyResultsSchema"/>). Every complete row
/// ends with a newline; the writer flushes after each row, so a killed run leaves at most one unterminated last line.
/// </summary>
public static class StudyResultsFile
{
    /// <summary>Reads a results file. An unterminated last line is ignored and reported in <see cref="StudyResults.PartialTailBytes"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The rows.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">A bad header or a malformed complete row (file and line named).</exception>
    public static StudyResults Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Results file '{path}' does not exist.", path);
        }

        var bytes = File.ReadAllBytes(path);
        var end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        using var csv = new CsvReader(new StringReader(Encoding.UTF8.GetString(bytes, 0, end)), CsvConfiguration());
        if (end == 0 || !csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
        {
            throw new InvalidDataException($"Results file '{path}' has no complete header line.");
        }

        var schema = StudyResultsSchema.FromHeader(header, path);
        var rows = new List<StudyRow>();
        while (csv.Read())
        {
            rows.Add(ParseRow(csv, schema, path));
        }

        return new StudyResults(path, schema, rows, bytes.Length - end);
    }

    /// <summary>
    /// Prepares a file for appending: creates it with the header when missing; otherwise checks its header equals
    /// <paramref name="schema"/>, cuts off an unterminated last line, and returns the rows already there.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="schema">The columns the run will write.</param>
    /// <param name="logger">Optional logger (the repair is logged as a warning).</param>
    /// <returns>The complete rows already present (empty for a new file).</returns>
    /// <exception cref="InvalidDataException">The existing header differs (both named) or a complete row is malformed.</exception>
    public static IReadOnlyList<StudyRow> PrepareForAppend(string path, StudyResultsSchema schema, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(schema);
        logger ??= NullLogger.Instance;
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
            using var writer = new StudyResultsWriter(stream, schema, writeHeader: true);
            return [];
        }

        var existing = Read(path);
        if (!existing.Schema.Equals(schema))
        {
            throw new InvalidDataException($"Results file '{path}' has columns '{existing.Schema}', but this run writes '{schema}'; use another --out or the same proxies and target.");
        }

        if (existing.PartialTailBytes > 0)
        {
            var keep = new FileInfo(path).Length - existing.PartialTailBytes;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
            {
                stream.SetLength(keep);
            }

            StudyLog.PartialLineDropped(logger, path, existing.PartialTailBytes);
        }

        return existing.Rows;
    }

    /// <summary>
    /// Merges results files (e.g. the shards of one study): same columns required; rows deduplicated by index; output in
    /// index order. Two rows of one index that disagree (arch, a score or the target; timings may differ) are an error.
    /// </summary>
    /// <param name="paths">Input files (at least one).</param>
    /// <param name="logger">Optional logger (unterminated last lines are skipped with a warning).</param>
    /// <returns>The merged rows, the schema, and how many duplicates were dropped.</returns>
    /// <exception cref="InvalidDataException">Different columns, or conflicting duplicates (index and files named).</exception>
    public static (StudyResultsSchema Schema, IReadOnlyList<StudyRow> Rows, int DuplicatesDropped) Merge(IReadOnlyList<string> paths, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("No results files to merge.", nameof(paths));
        }

        logger ??= NullLogger.Instance;
        StudyResultsSchema? schema = null;
        var byIndex = new SortedDictionary<int, (StudyRow Row, string Path)>();
        var duplicates = 0;
        foreach (var path in paths)
        {
            var file = Read(path);
            if (file.PartialTailBytes > 0)
            {
                StudyLog.PartialLineSkipped(logger, path, file.PartialTailBytes);
            }

            if (schema is null)
            {
                schema = file.Schema;
            }
            else if (!schema.Equals(file.Schema))
            {
                throw new InvalidDataException($"'{path}' has columns '{file.Schema}', but '{paths[0]}' has '{schema}'.");
            }

            foreach (var row in file.Rows)
            {
                if (byIndex.TryGetValue(row.Index, out var seen))
                {
                    if (!seen.Row.SameResult(row))
                    {
                        throw new InvalidDataException($"Index {row.Index} has conflicting rows in '{seen.Path}' and '{path}'.");
                    }

                    duplicates++;
                    continue;
                }

                byIndex.Add(row.Index, (row, path));
            }
        }

        return (schema!, [.. byIndex.Values.Select(v => v.Row)], duplicates);
    }

    /// <summary>Writes rows to a new file (overwriting), header first.</summary>
    /// <param name="path">The file.</param>
    /// <param name="schema">Columns.</param>
    /// <param name="rows">Rows, written in the given order.</param>
    public static void Write(string path, StudyResultsSchema schema, IEnumerable<StudyRow> rows)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(rows);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        using var writer = new StudyResultsWriter(stream, schema, writeHeader: true);
        foreach (var row in rows)
        {
            writer.Append(row);
        }
    }

    /// <summary>The fields of one row. Scores and target use round-trip formatting, so reading back is exact.</summary>
    /// <param name="row">The row.</param>
    /// <param name="schema">Columns (checks the counts).</param>
    /// <returns>The fields, in <see cref="StudyResultsSchema.Header"/> order.</returns>
    /// <exception cref="ArgumentException">The row's counts do not match the schema, or the arch contains a line break.</exception>
    public static IReadOnlyList<string> FormatRow(StudyRow row, StudyResultsSchema schema)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(schema);
        if (row.Scores.Count != schema.Proxies.Count || row.Seconds.Count != schema.Proxies.Count)
        {
            throw new ArgumentException($"Row {row.Index} has {row.Scores.Count} scores and {row.Seconds.Count} timings; the file has {schema.Proxies.Count} proxies.", nameof(row));
        }

        // A line break inside a field would defeat the "one complete line per row" repair of PrepareForAppend.
        if (row.Arch.AsSpan().IndexOfAny("\r\n") >= 0)
        {
            throw new ArgumentException($"Row {row.Index}: arch '{row.Arch}' contains a line break.", nameof(row));
        }

        var fields = new List<string>(schema.Header.Count) { row.Index.ToString(CultureInfo.InvariantCulture), row.Arch };
        fields.AddRange(row.Scores.Select(Format));
        fields.Add(Format(row.Target));
        fields.AddRange(row.Seconds.Select(s => s.ToString("0.######", CultureInfo.InvariantCulture)));
        return fields;
    }

    /// <summary>CsvHelper settings of results files: invariant culture, header, <c>\n</c> line ends.</summary>
    internal static CsvConfiguration CsvConfiguration() => new(CultureInfo.InvariantCulture) { HasHeaderRecord = true, NewLine = "\n" };

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static StudyRow ParseRow(CsvReader csv, StudyResultsSchema schema, string path)
    {
        var line = csv.Parser.RawRow;
        if (csv.Parser.Count != schema.Header.Count)
        {
            throw new InvalidDataException($"Results file '{path}', line {line}: {csv.Parser.Count} fields, expected {schema.Header.Count}.");
        }

        var indexText = csv.GetField(0);
        if (!int.TryParse(indexText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) || index < 0)
        {
            throw new InvalidDataException($"Results file '{path}', line {line}: index '{indexText}' is not a non-negative integer.");
        }

        var p = schema.Proxies.Count;
        var scores = new double[p];
        var seconds = new double[p];
        for (var i = 0; i < p; i++)
        {
            scores[i] = CsvTable.ParseDouble(csv.GetField(2 + i), path, line, schema.Proxies[i]);
            seconds[i] = CsvTable.ParseDouble(csv.GetField(3 + p + i), path, line, StudyResultsSchema.SecondsPrefix + schema.Proxies[i]);
        }

        var target = CsvTable.ParseDouble(csv.GetField(2 + p), path, line, schema.Target);
        return new StudyRow(index, csv.GetField(1) ?? string.Empty, scores, target, seconds);
    }
}
