using System.Text.Json;

namespace GradSign.Cli.Commands;

/// <summary>JSON helpers shared by the scoring commands: strict JSON with non-finite numbers as strings, the
/// convention of the oracle manifests ("NaN", "Infinity", "-Infinity").</summary>
internal static class ProxyJson
{
    /// <summary>Writes <paramref name="value"/> as a number, or as the string "NaN"/"Infinity"/"-Infinity".</summary>
    public static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    /// <summary>Indented, strict JSON writer options; "+" in arch strings stays readable (output is not embedded in HTML).</summary>
    public static JsonWriterOptions Options { get; } = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Runs <paramref name="write"/> on a writer and returns the text.</summary>
    public static string Build(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            write(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
