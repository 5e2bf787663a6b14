using System.Text;
using CsvHelper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;


namespace GradSign.Cli.Results;

/// <summary>
/// Appends rows to a results file with CsvHelper, flushing each one to the operating system as soon as it is written, so
/// a killed run loses at most the row being written (which <see cref="OpenForAppend"/> then cuts off).
/// </summary>
/// <threadsafety>Not thread-safe.</threadsafety>
public sealed class StudyResultsWriter : IDisposable
{
    private readonly CsvWriter _csv;
    private readonly StudyResultsSchema _schema;
    private bool _disposed;

    /// <summary>Writes a new results file to a stream (the writer owns it): the settings line and the header first.</summary>
    /// <param name="stream">Destination, empty and positioned at its start.</param>
    /// <param name="settings">The study's settings.</param>
    /// <param name="schema">Columns.</param>
    public StudyResultsWriter(Stream stream, StudySettings settings, StudyResultsSchema schema)
        : this(stream, schema, settings ?? throw new ArgumentNullException(nameof(settings)))
    {
        WriteRecord(schema.Header);
    }

    private StudyResultsWriter(Stream stream, StudyResultsSchema schema, StudySettings? settings)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(schema);
        _schema = schema;
        var text = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" };
        if (settings is not null)
        {
            text.WriteLine(StudyResultsFile.SettingsPrefix + settings.ToJson());
        }

        _csv = new CsvWriter(text, StudyResultsFile.CsvConfiguration());
    }

    /// <summary>
    /// Opens a results file for appending and holds an exclusive lock on it until disposed, so a second process writing
    /// the same file fails at once instead of interleaving rows. A new (or empty) file gets the settings line and the
    /// header; an existing one must have been written with equal settings and columns, and an unterminated last line (a
    /// killed run) is cut off.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="settings">The run's settings.</param>
    /// <param name="schema">The columns the run writes.</param>
    /// <param name="existing">The complete rows already in the file (empty for a new file).</param>
    /// <param name="logger">Optional logger (the repair is logged as a warning).</param>
    /// <returns>The writer, positioned after the last complete row.</returns>
    /// <exception cref="IOException">Another process has the file open for writing (or it cannot be opened).</exception>
    /// <exception cref="InvalidDataException">The existing file has other settings or columns (both named), no settings
    /// line, CRLF line ends, or a malformed complete row.</exception>
    public static StudyResultsWriter OpenForAppend(string path, StudySettings settings, StudyResultsSchema schema, out IReadOnlyList<StudyRow> existing, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(schema);
        logger ??= NullLogger.Instance;
        var stream = OpenLocked(path);
        try
        {
            if (stream.Length == 0)
            {
                existing = [];
                return new StudyResultsWriter(stream, settings, schema);
            }

            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            var file = StudyResultsFile.Parse(bytes, path);
            if (file.Settings is null)
            {
                throw new InvalidDataException($"Results file '{path}' has no settings line, so it cannot be checked against this run; use another --out.");
            }

            if (settings.FirstDifference(file.Settings) is { } difference)
            {
                throw new InvalidDataException($"Results file '{path}' was scored with {difference}; resume with the same settings or use another --out.");
            }

            if (!file.Schema.Equals(schema))
            {
                throw new InvalidDataException($"Results file '{path}' has columns '{CliText.Clip(file.Schema.ToString())}', but this run writes '{CliText.Clip(schema.ToString())}'; use another --out or the same proxies and target.");
            }

            // A byte-order mark is harmless (only the start of the file has it); CRLF rows followed by LF rows would not be.
            if (bytes.AsSpan().IndexOf("\r\n"u8) is var crlf and >= 0)
            {
                var line = bytes.AsSpan(0, crlf).Count((byte)'\n') + 1;
                throw new InvalidDataException($"Results file '{path}' has Windows (CRLF) line ends (line {line} is the first), as a spreadsheet saves it; appending LF rows would mix line ends. Save it with LF line ends, or use another --out.");
            }

            if (file.PartialTailBytes > 0)
            {
                stream.SetLength(stream.Length - file.PartialTailBytes);
                StudyLog.PartialLineDropped(logger, path, file.PartialTailBytes);
            }

            stream.Seek(0, SeekOrigin.End);
            existing = file.Rows;
            return new StudyResultsWriter(stream, schema, settings: null);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The columns this writer writes.</summary>
    public StudyResultsSchema Schema => _schema;

    /// <summary>Rows appended through this writer (not counting rows already in the file).</summary>
    public int RowsAppended { get; private set; }

    /// <summary>Appends one row and flushes it to the operating system.</summary>
    /// <param name="row">The row.</param>
    public void Append(StudyRow row)
    {
        WriteRecord(StudyResultsFile.FormatRow(row, _schema));
        RowsAppended++;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _csv.Dispose();
        }
    }

    private static FileStream OpenLocked(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix and a sharing lock on Windows; the operating
            // system drops it when the process dies, so a killed run never leaves the file locked.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(path))
        {
            throw new IOException($"Results file '{path}' is locked by another process (another 'gradsign correlate' writing it?).", ex);
        }
    }

    private void WriteRecord(IReadOnlyList<string> fields)
    {
        foreach (var field in fields)
        {
            _csv.WriteField(field);
        }

        _csv.NextRecord();
        _csv.Flush(); // CsvWriter → StreamWriter → FileStream → OS: the row survives a kill of this process.
    }
}
