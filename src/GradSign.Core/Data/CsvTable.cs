using System.Globalization;
using System.IO.Compression;
using CsvHelper;
using CsvHelper.Configuration;

namespace GradSign.Data;

/// <summary>Reads a header-first CSV (optionally gzip'd) with CsvHelper into text and numeric columns.</summary>
internal static class CsvTable
{
    /// <summary>Opens a CSV file, through <see cref="GZipStream"/> when the name ends in <c>.gz</c>.</summary>
    public static CsvReader Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Table '{path}' does not exist.", path);
        }

        Stream stream = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            stream = new GZipStream(stream, CompressionMode.Decompress);
        }

        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = true, DetectColumnCountChanges = true };
        return new CsvReader(new StreamReader(stream), config);
    }

    /// <summary>Reads the header; throws naming the file when it is missing or lacks a required column.</summary>
    public static string[] ReadHeader(CsvReader csv, string path, params string[] required)
    {
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
        {
            throw new InvalidDataException($"Table '{path}' has no header row.");
        }

        foreach (var r in required)
        {
            if (Array.IndexOf(header, r) < 0)
            {
                throw new InvalidDataException($"Table '{path}' has no '{r}' column (header: {string.Join(",", header)}).");
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
            _ => throw new InvalidDataException($"Table '{path}', row {row}, column '{column}': '{cell}' is not a number."),
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
            _ => throw new InvalidDataException($"Table '{path}', row {row}, column '{column}': '{cell}' is not a boolean."),
        };
    }
}
