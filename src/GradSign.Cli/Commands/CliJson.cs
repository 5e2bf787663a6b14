using System.Text.Json;

namespace GradSign.Cli.Commands;

/// <summary>
/// The JSON every command prints: strict JSON (RFC 8259 has no NaN or infinities), so a number that is not finite is
/// written as the string <c>"NaN"</c>, <c>"Infinity"</c> or <c>"-Infinity"</c> — the convention of the oracle fixtures,
/// which Python's <c>float()</c> reads back. <c>null</c> means a value that does not exist (no published number, no
/// scores file), never an undefined number.
/// </summary>
internal static class CliJson
{
    /// <summary>Writes <paramref name="value"/> as a number, or as the string "NaN"/"Infinity"/"-Infinity".</summary>
    public static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        writer.WritePropertyName(name);
        WriteNumberValue(writer, value);
    }

    /// <summary>Writes a value that may be absent: null when <paramref name="value"/> is null, else as <see cref="WriteNumber(Utf8JsonWriter, string, double)"/>.</summary>
    public static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            WriteNumber(writer, name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Writes an array element (see <see cref="WriteNumber(Utf8JsonWriter, string, double)"/>).</summary>
    public static void WriteNumberValue(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    /// <summary>Indented, strict JSON writer options; "+" in arch strings stays readable (output is not embedded in HTML).</summary>
    public static JsonWriterOptions Options { get; } = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Runs <paramref name="write"/> on a writer and returns the text.</summary>
    public static string Build(Action<Utf8JsonWriter> write) => Build(write, Options);

    /// <summary>Runs <paramref name="write"/> on a writer with <paramref name="options"/> and returns the text.</summary>
    public static string Build(Action<Utf8JsonWriter> write, JsonWriterOptions options)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, options))
        {
            write(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
