using System.Text;
using CsvHelper;

namespace GradSign.Data;

/// <summary>
/// Appends rows to a results file with CsvHelper, flushing each one to the operating system as soon as it is written, so
/// a killed run loses at most the row being written (which <see cref="StudyResultsFile.PrepareForAppend"/> then cuts off).
/// </summary>
/// <threadsafety>Not thread-safe.</threadsafety>
public sealed class StudyResultsWriter : IDisposable
{
    private readonly CsvWriter _csv;
    private readonly StudyResultsSchema _schema;

    /// <summary>Opens a file prepared by <see cref="StudyResultsFile.PrepareForAppend"/> for appending.</summary>
    /// <param name="path">The file (must exist and start with the header).</param>
    /// <param name="schema">Its columns.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public StudyResultsWriter(string path, StudyResultsSchema schema)
        : this(OpenForAppend(path), schema, writeHeader: false)
    {
    }

    /// <summary>Writes to a stream (the writer owns it), optionally starting with the header.</summary>
    /// <param name="stream">Destination, positioned where rows go.</param>
    /// <param name="schema">Columns.</param>
    /// <param name="writeHeader">Whether to write the header row first.</param>
    public StudyResultsWriter(Stream stream, StudyResultsSchema schema, bool writeHeader)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(schema);
        _schema = schema;
        _csv = new CsvWriter(new StreamWriter(stream, new UTF8Encoding(false)), StudyResultsFile.CsvConfiguration());
        if (writeHeader)
        {
            WriteRecord(schema.Header);
        }
    }

    /// <summary>Appends one row and flushes it to the operating system.</summary>
    /// <param name="row">The row.</param>
    public void Append(StudyRow row) => WriteRecord(StudyResultsFile.FormatRow(row, _schema));

    /// <inheritdoc/>
    public void Dispose() => _csv.Dispose();

    private void WriteRecord(IReadOnlyList<string> fields)
    {
        foreach (var field in fields)
        {
            _csv.WriteField(field);
        }

        _csv.NextRecord();
        _csv.Flush(); // CsvWriter → StreamWriter → FileStream → OS: the row survives a kill of this process.
    }

    private static FileStream OpenForAppend(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return File.Exists(path)
            ? new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)
            : throw new FileNotFoundException($"Results file '{path}' does not exist; create it with StudyResultsFile.PrepareForAppend.", path);
    }
}
