using System.Text.Json;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Cli;

public class ScoreFixtureAndBenchCliTests
{
    [Fact]
    public void ScoreFixture_AllNone_PrintsEveryManifestProxy_WithNonFiniteAsStrings()
    {
        var (code, output, error) = CliRunner.Run("score", "--fixture", Path.Combine(SharedPaths.Fixtures, "c8n1_09_allnone"), "--json");

        Assert.True(code == 0, error);
        var proxies = JsonDocument.Parse(output).RootElement.GetProperty("proxies");
        Assert.Equal(["snip", "grasp", "synflow", "gradsign", "naswot"], proxies.EnumerateObject().Select(p => p.Name));
        Assert.Equal("-Infinity", proxies.GetProperty("naswot").GetString());
        Assert.Equal(0.0, proxies.GetProperty("snip").GetDouble());
    }

    [Fact]
    public void ScoreFixture_ProxySubset_PrintsOnlyThose()
    {
        var (code, output, error) = CliRunner.Run("score", "--fixture", Path.Combine(SharedPaths.FixturesExt, "c8n1_09_allnone"), "--proxies", "jacob_cov,params", "--json");

        Assert.True(code == 0, error);
        var proxies = JsonDocument.Parse(output).RootElement.GetProperty("proxies");
        Assert.Equal("NaN", proxies.GetProperty("jacob_cov").GetString());
        Assert.True(proxies.GetProperty("params").GetDouble() > 0);
    }

    [Fact]
    public void ScoreFixture_WithSpace_IsUsageError()
    {
        var (code, _, error) = CliRunner.Run("score", "--fixture", Path.Combine(SharedPaths.Fixtures, "c8n1_09_allnone"), "--space", "nb201");
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        Assert.Contains("--fixture", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_Params_PrintsMedianPerArchAndProxy()
    {
        const string arch = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";
        var (code, output, error) = CliRunner.Run("bench", "--space", "nb201", "--arch", arch, "--batch", "2", "--proxies", "params,flops", "--repeats", "3", "--json");

        Assert.True(code == 0, error);
        var results = JsonDocument.Parse(output).RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(arch, r.GetProperty("arch").GetString()));
        Assert.Equal(["params", "flops"], results.Select(r => r.GetProperty("proxy").GetString()));
        Assert.All(results, r => Assert.True(r.GetProperty("median_seconds").GetDouble() >= 0));
    }

    [Fact]
    public void Bench_BadRepeats_IsUsageError()
    {
        var (code, _, error) = CliRunner.Run("bench", "--space", "nb201", "--arch", "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "--repeats", "0");
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        Assert.Contains("--repeats", error, StringComparison.Ordinal);
    }
}
