using System.Text.Json;
using GradSign.Cli.Fixtures;
using GradSign.Networks.Import;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Proxies;

/// <summary>
/// The expected ZiCo and Zen-score values of <c>tests/fixtures/zico-zen/expected.json</c> (written by
/// <c>tools/oracle/zico_zen.py</c> on the networks, weights and batches of the shared oracle fixtures).
/// </summary>
internal static class ZicoZenFixtures
{
    private static readonly Lazy<JsonElement> s_root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedPaths.RepositoryRoot, "tests", "fixtures", "zico-zen", "expected.json"))).RootElement);

    /// <summary>The whole file.</summary>
    public static JsonElement Root => s_root.Value;

    /// <summary>Case keys (<c>fixtures/…</c> or <c>fixtures_ext/…</c>) of a proxy, optionally filtered.</summary>
    public static TheoryData<string> Cases(string proxy, Func<string, bool>? include = null)
    {
        var data = new TheoryData<string>();
        foreach (var c in Root.GetProperty(proxy).GetProperty("cases").EnumerateObject())
        {
            if (include?.Invoke(c.Name) ?? true)
            {
                data.Add(c.Name);
            }
        }

        return data;
    }

    /// <summary>A case's expected values.</summary>
    public static JsonElement Case(string proxy, string key) => Root.GetProperty(proxy).GetProperty("cases").GetProperty(key);

    /// <summary>A number field of a case ("NaN"/"Infinity"/"-Infinity" strings mapped).</summary>
    public static double Number(this JsonElement element, string field) => OracleFixture.ReadNumber(element.GetProperty(field));

    /// <summary>A number-array field of a case.</summary>
    public static double[] Numbers(this JsonElement element, string field) => [.. element.GetProperty(field).EnumerateArray().Select(OracleFixture.ReadNumber)];

    /// <summary>The shared fixture case (network, weights, batch) a key names.</summary>
    public static OracleFixture Load(string key) => OracleFixture.Load(Path.Combine(SharedPaths.Shared, "oracle", key));
}
