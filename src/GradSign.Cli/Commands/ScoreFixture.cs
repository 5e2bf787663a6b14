using System.Globalization;
using GradSign.Backends;
using GradSign.Cli.Fixtures;
using GradSign.Proxies;
using GradSign.Proxies.Evaluation;

namespace GradSign.Cli.Commands;

/// <summary>
/// <c>gradsign score --fixture DIR [--proxies a,b] [--json]</c>: loads one oracle fixture case (network, stored
/// weights, stored batch) and scores it with every proxy its manifest lists, or the subset given, on the given
/// backend (<c>--backend</c>). JSON: <c>{"case":…,"proxies":{"gradsign":…,…}}</c> with non-finite values as "NaN"/"Infinity"/"-Infinity".
/// </summary>
internal static class ScoreFixture
{
    /// <summary>Scores the fixture in <paramref name="directory"/> and prints the result.</summary>
    /// <param name="directory">The case folder (holding manifest.json).</param>
    /// <param name="proxies">Comma-separated ids, or null for every proxy the manifest lists.</param>
    /// <param name="json">Print JSON.</param>
    /// <param name="backend">The backend.</param>
    /// <param name="output">Where to print.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string directory, string? proxies, bool json, ITensorBackend backend, TextWriter output)
    {
        var fixture = OracleFixture.Load(directory);
        var registry = CliProxies.Create();
        var selected = proxies is null
            ? fixture.ProxyNames.Select(registry.Get).ToList()
            : registry.Resolve(proxies);
        var scores = new ProxyRunner(new ProxyContext(backend))
            .Run([ArchitectureInput.FromWeights(fixture.Case, fixture.Weights)], selected, fixture.Batch)
            .Single();

        if (json)
        {
            output.WriteLine(CliJson.Build(w =>
            {
                w.WriteStartObject();
                w.WriteString("case", fixture.Case);
                w.WriteStartObject("proxies");
                foreach (var r in scores.Results)
                {
                    CliJson.WriteNumber(w, r.ProxyId, r.Value);
                }

                w.WriteEndObject();
                w.WriteStartObject("seconds");
                foreach (var r in scores.Results)
                {
                    w.WriteNumber(r.ProxyId, r.Elapsed.TotalSeconds);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }));
        }
        else
        {
            foreach (var r in scores.Results)
            {
                var expected = fixture.HasProxy(r.ProxyId) ? fixture.ExpectedProxy(r.ProxyId).ToString("R", CultureInfo.InvariantCulture) : "-";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.ProxyId}\t{r.Value:R}\texpected {expected}\t{r.Elapsed.TotalSeconds:F3} s"));
            }
        }

        return 0;
    }
}
