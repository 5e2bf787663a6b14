using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace GradSign.Data;

/// <summary>Reads a header-first CSV (optionally gzip'd) with CsvHelper into text and numeric columns.</summary>
internal static class CsvTable
{
    /// <summary>
    /// Opens a CSV file, through <see cref="GZipStream"/> when the name ends in <c>.gz</c>, after checking that it is
    /// whole (see <see cref="ReadText"/>). Malformed CSV is reported by <see cref="ReadRows"/>.
    /// </summary>
    public static CsvReader Open(string path)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = true, DetectColumnCountChanges = true };
        return new CsvReader(new StringReader(ReadText(path)), config);
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
    /// <exception cref="InvalidDataException">The file is truncated or corrupt (file named).</exception>
    public static string ReadText(string path)
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

        return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
    }

    /// <summary>
    /// Reads every data row with <paramref name="readRow"/>, turning CsvHelper's parse errors (unbalanced quotes, a row
    /// with another number of fields, …) into one-line <see cref="InvalidDataException"/>s naming the file and row.
    /// </summary>
    public static void ReadRows(CsvReader csv, string path, Action<long> readRow)
    {
        try
        {
            while (csv.Read())
            {
                readRow(csv.Parser.Row);
            }
        }
        catch (CsvHelperException ex)
        {
            var reason = ex switch
            {
                BadDataException => "malformed field (a stray or unbalanced quote)",
                _ => ex.Message.Split('\n', 2)[0].Trim(),
            };
            throw new InvalidDataException($"Table '{path}', row {ex.Context?.Parser?.Row}: {reason}.", ex);
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
            throw new InvalidDataException($"Table '{path}' is corrupt: {ex.Message}", ex);
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

    /// <summary>Reads the header; throws naming the file when it is missing or lacks a required column.</summary>
    public static string[] ReadHeader(CsvReader csv, string path, params string[] required)
    {
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
        {
            throw new InvalidDataException($"Table '{path}' has no header row.");
        }

        var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"Table '{path}' names column '{Clip(duplicate.Key)}' twice.");
        }

        foreach (var r in required)
        {
            if (Array.IndexOf(header, r) < 0)
            {
                throw new InvalidDataException($"Table '{path}' has no '{r}' column (header: {Clip(string.Join(",", header))}).");
            }
        }

        return header;
    }

    /// <summary>Parses a numeric cell: empty (or <c>nan</c>) → NaN; <c>inf</c>/<c>-inf</c> accepted; anything else must be a number.</summary>
    public static double ParseDouble(string? cell, string path, long row, string column)
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
            _ => throw new InvalidDataException($"Table '{path}', row {row}, column '{column}': '{Clip(cell)}' is not a number."),
        };
    }

    /// <summary>Parses a Python boolean cell (<c>True</c>/<c>False</c>); empty → null.</summary>
    public static bool? ParseBool(string? cell, string path, long row, string column)
    {
        if (string.IsNullOrWhiteSpace(cell))
        {
            return null;
        }

        return cell.Trim().ToLowerInvariant() switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            _ => throw new InvalidDataException($"Table '{path}', row {row}, column '{column}': '{Clip(cell)}' is not a boolean."),
        };
    }

    /// <summary>A value as quoted in an error message: at most 80 characters, line breaks shown as <c>\n</c>, so a
    /// corrupt file cannot flood the terminal.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The clipped value.</returns>
    public static string Clip(string? value)
    {
        const int Max = 80;
        var text = (value ?? string.Empty).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return text.Length <= Max ? text : string.Concat(text.AsSpan(0, Max), $"… ({text.Length} characters)");
    }
}
