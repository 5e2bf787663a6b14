using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace GradSign.Data;

/// <summary>
/// A header-first CSV table file (RFC 4180: comma-separated, fields optionally double-quoted with <c>""</c> for a quote,
/// LF or CRLF line ends), optionally gzip'd, checked to be whole before any row is read (see <see cref="ReadText"/>).
/// Rows are parsed lazily, one at a time; every parse error is a one-line <see cref="InvalidDataException"/> naming the
/// file and line.
/// </summary>
internal sealed class CsvTable
{
    private readonly string _text;
    private readonly int _bodyStart;

    private CsvTable(string path, string text)
    {
        Path = path;
        _text = text;
        var position = 0;
        var line = 1L;
        var header = ReadRecord(ref position, ref line);
        if (header is null || header.All(string.IsNullOrWhiteSpace))
        {
            throw new InvalidDataException($"Table '{path}' has no header row.");
        }

        var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"Table '{path}' names column '{Clip(duplicate.Key)}' twice.");
        }

        Header = header;
        _bodyStart = position;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Column names, in file order (distinct).</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Reads and checks a table file and its header.</summary>
    /// <param name="path">The file (<c>.gz</c>: gzip'd).</param>
    /// <param name="required">Columns the header must have.</param>
    /// <returns>The table, rows not yet parsed.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Truncated or corrupt, no header, a column named twice or a required one missing.</exception>
    public static CsvTable Open(string path, params string[] required)
    {
        var table = new CsvTable(path, ReadText(path));
        foreach (var r in required)
        {
            if (table.IndexOf(r) < 0)
            {
                throw new InvalidDataException($"Table '{path}' has no '{r}' column (header: {Clip(string.Join(",", table.Header))}).");
            }
        }

        return table;
    }

    /// <summary>The position of a column, or −1.</summary>
    /// <param name="column">Column name.</param>
    /// <returns>Its index in <see cref="Header"/>, or −1.</returns>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Header.Count; i++)
        {
            if (string.Equals(Header[i], column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The data rows, parsed one at a time as enumerated.</summary>
    /// <returns>(line where the row starts, its fields); every row has as many fields as the header.</returns>
    /// <exception cref="InvalidDataException">A malformed row (file and line named).</exception>
    public IEnumerable<(long Line, string[] Fields)> Rows()
    {
        var position = _bodyStart;
        var line = 2L;
        while (true)
        {
            var start = line;
            var fields = ReadRecord(ref position, ref line);
            if (fields is null)
            {
                yield break;
            }

            if (fields.Length != Header.Count)
            {
                throw new InvalidDataException($"Table '{Path}', line {start}: {fields.Length} fields, but the header has {Header.Count}.");
            }

            yield return (start, fields);
        }
    }

    /// <summary>One record from <paramref name="position"/> (null at the end of the text), advancing past its line end.</summary>
    private string[]? ReadRecord(ref int position, ref long line)
    {
        if (position >= _text.Length)
        {
            return null;
        }

        var fields = new List<string>();
        var field = new StringBuilder();
        while (true)
        {
            field.Clear();
            if (position < _text.Length && _text[position] == '"')
            {
                // Quoted: up to the closing quote; "" is one quote; line breaks are part of the field.
                var opened = line;
                position++;
                while (true)
                {
                    if (position >= _text.Length)
                    {
                        throw new InvalidDataException($"Table '{Path}', line {opened}: malformed field (the quote opened there is never closed).");
                    }

                    var c = _text[position++];
                    if (c == '"')
                    {
                        if (position < _text.Length && _text[position] == '"')
                        {
                            field.Append('"');
                            position++;
                            continue;
                        }

                        break;
                    }

                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }

                if (position < _text.Length && _text[position] is not (',' or '\n' or '\r'))
                {
                    throw new InvalidDataException($"Table '{Path}', line {line}: malformed field (text after a closing quote).");
                }
            }
            else
            {
                while (position < _text.Length && _text[position] is not (',' or '\n' or '\r'))
                {
                    if (_text[position] == '"')
                    {
                        throw new InvalidDataException($"Table '{Path}', line {line}: malformed field (a stray quote).");
                    }

                    field.Append(_text[position++]);
                }
            }

            fields.Add(field.ToString());
            if (position < _text.Length && _text[position] == ',')
            {
                position++;
                continue;
            }

            // End of the record: LF or CRLF (ReadText guarantees the text ends with LF).
            if (position < _text.Length && _text[position] == '\r')
            {
                position++;
            }

            if (position >= _text.Length || _text[position] != '\n')
            {
                throw new InvalidDataException($"Table '{Path}', line {line}: malformed line end (a lone carriage return).");
            }

            position++;
            line++;
            return [.. fields];
        }
    }

    /// <summary>
    /// The text of a table file, checked for the ways a copy or download gets cut short: a gzip file must start with the
    /// gzip magic and its trailer's length (ISIZE) must equal the decompressed length (a cut trailer or missing tail
    /// fails this; corrupt data fails the decompressor's CRC check); the text must end with a line break, so a last row
    /// cut inside a number is not read as a shorter number.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>Its text.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is truncated or corrupt, or not UTF-8 (file named).</exception>
    private static string ReadText(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Table '{path}' does not exist.", path);
        }

        var bytes = File.ReadAllBytes(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            bytes = Gunzip(bytes, path);
        }

        if (bytes.Length == 0)
        {
            throw new InvalidDataException($"Table '{path}' is empty.");
        }

        if (bytes[^1] != (byte)'\n')
        {
            throw new InvalidDataException($"Table '{path}' is truncated: its last line has no line break.");
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException($"Table '{path}' is not UTF-8 text (byte offset {ex.Index}).", ex);
        }
    }

    private static byte[] Gunzip(byte[] compressed, string path)
    {
        if (compressed.Length < 18 || compressed[0] != 0x1F || compressed[1] != 0x8B)
        {
            throw new InvalidDataException($"Table '{path}' is not a gzip file (or is truncated to {compressed.Length} bytes).");
        }

        using var output = new MemoryStream(compressed.Length * 4);
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            gzip.CopyTo(output);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"Table '{path}' is corrupt: {Internal.MessageText.Inline(ex.Message)}", ex);
        }

        // RFC 1952: the member ends with CRC32 and ISIZE (input size mod 2^32), little-endian. .NET's GZipStream stops
        // silently at the end of a truncated file, so this is what detects a missing tail.
        var isize = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 4));
        if (isize != unchecked((uint)output.Length))
        {
            throw new InvalidDataException($"Table '{path}' is truncated or corrupt: it decompresses to {output.Length} bytes, but its gzip trailer says {isize}.");
        }

        return output.ToArray();
    }

    /// <summary>Parses a numeric cell: empty (or <c>nan</c>) → NaN; <c>inf</c>/<c>-inf</c> accepted; anything else must be a number.</summary>
    public static double ParseDouble(string? cell, string path, long line, string column)
    {
        if (string.IsNullOrWhiteSpace(cell))
        {
            return double.NaN;
        }

        var text = cell.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            return v;
        }

        return text.ToLowerInvariant() switch
        {
            "nan" => double.NaN,
            "inf" or "+inf" or "infinity" => double.PositiveInfinity,
            "-inf" or "-infinity" => double.NegativeInfinity,
            _ => throw new InvalidDataException($"Table '{path}', line {line}, column '{column}': '{Clip(cell)}' is not a number."),
        };
    }

    /// <summary>Parses a Python boolean cell (<c>True</c>/<c>False</c>); empty → null.</summary>
    public static bool? ParseBool(string? cell, string path, long line, string column)
    {
        if (string.IsNullOrWhiteSpace(cell))
        {
            return null;
        }

        return cell.Trim().ToLowerInvariant() switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            _ => throw new InvalidDataException($"Table '{path}', line {line}, column '{column}': '{Clip(cell)}' is not a boolean."),
        };
    }

    /// <summary>A value as quoted in an error message: at most 80 characters, line breaks shown as <c>\n</c>, so a
    /// corrupt file cannot flood the terminal.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The clipped value.</returns>
    public static string Clip(string? value) => Internal.MessageText.Clip(value);
}
