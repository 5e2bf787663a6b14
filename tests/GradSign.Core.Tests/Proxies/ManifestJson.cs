using System.Text.Json;

namespace GradSign.Tests.Proxies;

/// <summary>Reads oracle manifests' numbers, including the strings "NaN", "Infinity" and "-Infinity".</summary>
internal static class ManifestJson
{
    public static JsonElement Load(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    public static double Number(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => throw new FormatException($"Not a number: '{s}'."),
        },
        _ => throw new FormatException($"Not a number: {e.ValueKind}."),
    };

    public static double[,] Matrix(JsonElement e)
    {
        var rows = e.GetArrayLength();
        var m = new double[rows, rows];
        var i = 0;
        foreach (var row in e.EnumerateArray())
        {
            var j = 0;
            foreach (var v in row.EnumerateArray())
            {
                m[i, j++] = Number(v);
            }

            i++;
        }

        return m;
    }

    /// <summary>Names of the case folders of a fixture folder (those holding a manifest.json), sorted; empty when absent.</summary>
    public static IReadOnlyList<string> CaseNames(string folder)
        => Directory.Exists(folder)
            ? [.. Directory.GetDirectories(folder).Where(d => File.Exists(Path.Combine(d, "manifest.json"))).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>Case folders of a fixture folder as theory data.</summary>
    public static TheoryData<string> Cases(string folder, Func<string, bool>? filter = null)
    {
        var data = new TheoryData<string>();
        foreach (var name in CaseNames(folder).Where(n => filter?.Invoke(n) ?? true))
        {
            data.Add(name);
        }

        return data;
    }
}
