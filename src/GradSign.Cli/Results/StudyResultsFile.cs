using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;


namespace GradSign.Cli.Results;

/// <summary>The rows of a results file and what reading it found.</summary>
/// <param name="Path">The file.</param>
/// <param name="Settings">The settings line, or null for a file without one (written by hand or by another tool).</param>
/// <param name="Schema">Its columns.</param>
/// <param name="Rows">Complete rows in file order.</param>
/// <param name="PartialTailBytes">Bytes of an unterminated last line (a run killed mid-write) that were not read; 0 when the file ends cleanly.</param>
public sealed record StudyResults(string Path, StudySettings? Settings, StudyResultsSchema Schema, IReadOnlyList<StudyRow> Rows, long PartialTailBytes);

/// <summary>
/// Reads and merges correlation-study results files: a settings line (<see cref="SettingsPrefix"/> and the
/// <see cref="StudySettings"/> as JSON), the header (<see cref="StudyResultsSchema"/>), then one row per cell. Every
/// complete row ends with a newline; <see cref="StudyResultsWriter"/> flushes after each row, so a killed run leaves
/// at most one unterminated last line. A UTF-8 byte-order mark and CRLF line ends (a file saved by a spreadsheet) are
/// accepted when reading.
/// </summary>
public static class StudyResultsFile
{
    /// <summary>Start of the first line, which holds the study's settings as JSON.</summary>
    public const string SettingsPrefix = "# gradsign-study ";

    /// <summary>Reads a results file (gzip'd when the name ends in <c>.gz</c>, as finished shards are kept). An unterminated
    /// last line is ignored and reported in <see cref="StudyResults.PartialTailBytes"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The rows.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">A bad settings line or header, or a malformed complete row (file and line named).</exception>
    public static StudyResults Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Results file '{path}' does not exist.", path);
        }

        var bytes = File.ReadAllBytes(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
                using var text = new MemoryStream();
                gzip.CopyTo(text);
                bytes = text.ToArray();
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidDataException($"Results file '{path}' is not a valid gzip file: {ex.Message}", ex);
            }
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses the bytes of a results file (see <see cref="Read"/>).</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="path">The file's name, for messages.</param>
    /// <returns>The rows.</returns>
    /// <exception cref="InvalidDataException">A bad settings line or header, or a malformed complete row (file and line named).</exception>
    public static StudyResults Parse(ReadOnlySpan<byte> bytes, string path)
    {
        var end = bytes.LastIndexOf((byte)'\n') + 1;
        var start = bytes.StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes[start..Math.Max(start, end)]);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException($"Results file '{path}' is not UTF-8 text.", ex);
        }

        StudySettings? settings = null;
        if (text.StartsWith(SettingsPrefix, StringComparison.Ordinal))
        {
            var lineEnd = text.IndexOf('\n', StringComparison.Ordinal);
            settings = StudySettings.FromJson(text[SettingsPrefix.Length..lineEnd].TrimEnd('\r'), path);
            text = text[(lineEnd + 1)..];
        }

        using var csv = new CsvReader(new StringReader(text), new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = true });
        var rows = new List<StudyRow>();
        try
        {
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
            {
                throw new InvalidDataException($"Results file '{path}' has no complete header line.");
            }

            var schema = StudyResultsSchema.FromHeader(header, path);
            while (csv.Read())
            {
                rows.Add(ParseRow(csv, schema, path, settings is null ? 0 : 1));
            }

            return new StudyResults(path, settings, schema, rows, bytes.Length - end);
        }
        catch (CsvHelperException ex)
        {
            throw new InvalidDataException($"Results file '{path}', line {ex.Context?.Parser?.RawRow + (settings is null ? 0 : 1)}: malformed CSV (a stray or unbalanced quote).", ex);
        }
    }

    /// <summary>
    /// Merges results files (e.g. the shards of one study): same settings and columns required; rows deduplicated by
    /// index; output in index order. Two rows of one index that disagree (arch, a score or the target; timings may
    /// differ) are an error.
    /// </summary>
    /// <param name="paths">Input files (at least one).</param>
    /// <param name="logger">Optional logger (unterminated last lines are skipped with a warning).</param>
    /// <returns>The merged results (the first file's settings, informational ones included) and how many duplicates were dropped.</returns>
    /// <exception cref="InvalidDataException">A file without a settings line, different settings or columns, or conflicting duplicates (index and files named).</exception>
    public static (StudySettings Settings, StudyResultsSchema Schema, IReadOnlyList<StudyRow> Rows, int DuplicatesDropped) Merge(IReadOnlyList<string> paths, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("No results files to merge.", nameof(paths));
        }

        logger ??= NullLogger.Instance;
        StudyResults? first = null;
        var byIndex = new SortedDictionary<int, (StudyRow Row, string Path)>();
        var duplicates = 0;
        foreach (var path in paths)
        {
            var file = Read(path);
            if (file.PartialTailBytes > 0)
            {
                StudyLog.PartialLineSkipped(logger, path, file.PartialTailBytes);
            }

            if (file.Settings is null)
            {
                throw new InvalidDataException($"'{path}' has no settings line, so it cannot be checked against the other files; only files written by 'gradsign correlate' can be merged.");
            }

            first ??= file;
            if (first.Settings!.FirstDifference(file.Settings) is { } difference)
            {
                throw new InvalidDataException($"'{path}' was scored with {difference.Replace("(here:", $"('{first.Path}':", StringComparison.Ordinal)}; merge only files of one study.");
            }

            if (!first.Schema.Equals(file.Schema))
            {
                throw new InvalidDataException($"'{path}' has columns '{CliText.Clip(file.Schema.ToString())}', but '{first.Path}' has '{CliText.Clip(first.Schema.ToString())}'.");
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

        return (first!.Settings!, first.Schema, [.. byIndex.Values.Select(v => v.Row)], duplicates);
    }

    /// <summary>
    /// Writes a complete results file: settings line, header, rows. The file appears whole or not at all: the rows go to a
    /// temporary file beside it, which then replaces <paramref name="path"/>.
    /// </summary>
    /// <param name="path">The file (replaced when it exists).</param>
    /// <param name="settings">The study's settings.</param>
    /// <param name="schema">Columns.</param>
    /// <param name="rows">Rows, written in the given order.</param>
    public static void Write(string path, StudySettings settings, StudyResultsSchema schema, IEnumerable<StudyRow> rows)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(rows);
        var full = System.IO.Path.GetFullPath(path);
        var temporary = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full)!, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var writer = new StudyResultsWriter(new FileStream(temporary, FileMode.CreateNew, FileAccess.Write), settings, schema))
            {
                foreach (var row in rows)
                {
                    writer.Append(row);
                }
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
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

        // A line break inside a field would defeat the "one complete line per row" repair of StudyResultsWriter.OpenForAppend.
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

    /// <summary>CsvHelper settings for writing results files: invariant culture, header, <c>\n</c> line ends (reading
    /// accepts CRLF too).</summary>
    internal static CsvConfiguration CsvConfiguration() => new(CultureInfo.InvariantCulture) { HasHeaderRecord = true, NewLine = "\n" };

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static StudyRow ParseRow(CsvReader csv, StudyResultsSchema schema, string path, int linesBefore)
    {
        var line = csv.Parser.RawRow + linesBefore;
        if (csv.Parser.Count != schema.Header.Count)
        {
            throw new InvalidDataException($"Results file '{path}', line {line}: {csv.Parser.Count} fields, expected {schema.Header.Count}.");
        }

        var indexText = csv.GetField(0);
        if (!int.TryParse(indexText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) || index < 0)
        {
            throw new InvalidDataException($"Results file '{path}', line {line}: index '{CliText.Clip(indexText)}' is not a non-negative integer.");
        }

        var p = schema.Proxies.Count;
        var scores = new double[p];
        var seconds = new double[p];
        for (var i = 0; i < p; i++)
        {
            scores[i] = ParseDouble(csv.GetField(2 + i), path, line, schema.Proxies[i]);
            seconds[i] = ParseDouble(csv.GetField(3 + p + i), path, line, StudyResultsSchema.SecondsPrefix + schema.Proxies[i]);
        }

        var target = ParseDouble(csv.GetField(2 + p), path, line, schema.Target);
        return new StudyRow(index, csv.GetField(1) ?? string.Empty, scores, target, seconds);
    }

    /// <summary>A number as this file writes it (round-trip format, <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>).</summary>
    private static double ParseDouble(string? field, string path, long line, string column)
        => double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"Results file '{path}', line {line}, column '{column}': '{CliText.Clip(field)}' is not a number.");
}
