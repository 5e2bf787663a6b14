using System.Text.Json;
using GradSign.Cli.Fixtures;
using GradSign.Networks.Import;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.TorchSharp;

/// <summary>The CLI's <c>--backend</c> option with LibTorch.</summary>
public sealed class CliBackendTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = GradSign.Cli.Cli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [FixtureFact]
    public void ScoreFixture_TorchSharpBackend_MatchesTheManifestValues()
    {
        var folder = Path.Combine(SharedPaths.Fixtures, "c8n1_00_best");
        var (code, output, error) = Run("score", "--fixture", folder, "--json", "--backend", "torchsharp");
        Assert.True(code == 0, error);
        var fixture = OracleFixture.Load(folder);
        var proxies = JsonDocument.Parse(output).RootElement.GetProperty("proxies");
        Assert.Equal(fixture.ProxyNames, proxies.EnumerateObject().Select(p => p.Name));

        // The values the acceptance tests check with the README tolerances; here a few relative to their scale.
        Assert.Equal(fixture.ExpectedProxy("gradsign"), proxies.GetProperty("gradsign").GetDouble(), 4.0);
        Assert.Equal(fixture.ExpectedProxy("synflow"), proxies.GetProperty("synflow").GetDouble(), 1e-9 * fixture.ExpectedProxy("synflow"));
        Assert.Equal(fixture.ExpectedProxy("naswot"), proxies.GetProperty("naswot").GetDouble(), 1e-6 * fixture.ExpectedProxy("naswot"));
        Assert.Equal(fixture.ExpectedProxy("snip"), proxies.GetProperty("snip").GetDouble(), 1e-5 * fixture.ExpectedProxy("snip"));
    }

    [Fact]
    public void Bench_TwoBackends_TimesEachOnEveryProxy()
    {
        const string arch = "|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|";
        var (code, output, error) = Run("bench", "--space", "nb201", "--arch", arch, "--batch", "2", "--proxies", "synflow,naswot", "--repeats", "1", "--json", "--backend", "managed,torchsharp");
        Assert.True(code == 0, error);
        var results = JsonDocument.Parse(output).RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["managed", "managed", "torchsharp", "torchsharp"], results.Select(r => r.GetProperty("backend").GetString()));
        Assert.Equal(["synflow", "naswot", "synflow", "naswot"], results.Select(r => r.GetProperty("proxy").GetString()));

        // Same network, weights and batch on both: SynFlow (float64) agrees tightly, NASWOT's codes exactly here.
        double Value(int i) => results[i].GetProperty("value").GetDouble();
        Assert.Equal(Value(0), Value(2), 1e-9 * Math.Abs(Value(0)));
        Assert.Equal(Value(1), Value(3), 1e-9 * Math.Abs(Value(1)));
    }

    [Theory]
    [InlineData("score", "cuda")]
    [InlineData("score", "managed,torchsharp")]
    [InlineData("bench", "torchsharp,torchsharp")]
    public void BadBackend_IsUsageErrorNamingTheOption(string command, string backend)
    {
        string[] args = command == "score"
            ? ["score", "--fixture", Path.Combine(SharedPaths.Fixtures, "c8n1_00_best"), "--backend", backend]
            : ["bench", "--space", "nb201", "--arch", "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "--proxies", "params", "--backend", backend];
        var (code, _, error) = Run(args);
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        Assert.Contains("--backend", error, StringComparison.Ordinal);
    }
}
