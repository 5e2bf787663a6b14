using System.Text.Json;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Statistics;

/// <summary>One case of ../shared/oracle/statistics/scipy_golden.json (values computed with scipy 1.10.1).</summary>
public sealed record ScipyGoldenCase(string Name, double[] X, double[] Y, IReadOnlyDictionary<string, double> Expected, double[]? RanksXAverage);

/// <summary>Reads the scipy golden file at test time (never copied into the repository).</summary>
public static class ScipyGolden
{
    private static readonly Lazy<IReadOnlyDictionary<string, ScipyGoldenCase>> s_cases = new(Load);

    public static string FilePath => Path.Combine(SharedPaths.Shared, "oracle", "statistics", "scipy_golden.json");

    public static IReadOnlyDictionary<string, ScipyGoldenCase> Cases => s_cases.Value;

    /// <summary>Case names, for [MemberData] (names only, so test display names stay short).</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    private static IReadOnlyDictionary<string, ScipyGoldenCase> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(FilePath));
        var cases = new Dictionary<string, ScipyGoldenCase>(StringComparer.Ordinal);
        foreach (var element in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            var name = element.GetProperty("name").GetString()!;
            var expected = new Dictionary<string, double>(StringComparer.Ordinal);
            double[]? ranks = null;
            foreach (var property in element.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "name" or "x" or "y":
                        break;
                    case "ranks_x_average":
                        ranks = property.Value.ValueKind == JsonValueKind.Null ? null : ReadArray(property.Value);
                        break;
                    default:
                        expected[property.Name] = ReadNumber(property.Value);
                        break;
                }
            }

            cases.Add(name, new ScipyGoldenCase(name, ReadArray(element.GetProperty("x")), ReadArray(element.GetProperty("y")), expected, ranks));
        }

        return cases;
    }

    private static double[] ReadArray(JsonElement array) => array.EnumerateArray().Select(ReadNumber).ToArray();

    // JSON has no NaN/Infinity literals: the generator wrote them as strings.
    private static double ReadNumber(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String => value.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" or "inf" => double.PositiveInfinity,
            "-Infinity" or "-inf" => double.NegativeInfinity,
            var other => throw new FormatException($"Unexpected string '{other}' in {FilePath}"),
        },
        _ => throw new FormatException($"Unexpected JSON value {value.ValueKind} in {FilePath}"),
    };
}
