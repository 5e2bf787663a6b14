using GradSign.Cli.Fixtures;
using GradSign.Proxies;
using GradSign.Proxies.Evaluation;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Proxies;

/// <summary>
/// Acceptance: every proxy on the oracle fixtures, within the tolerances of the fixtures' READMEs. A float32 backend
/// is compared with <c>value</c> (the reference float32 pipeline), a float64 run with <c>value_f64</c>.
/// </summary>
public abstract class OracleFixtureProxyTests
{
    private static readonly ProxyRegistry s_registry = ProxyRegistry.CreateDefault();

    /// <summary>The context the proxies run with.</summary>
    protected abstract ProxyContext Context { get; }

    /// <summary>True when the run is float64 and compared with <c>value_f64</c>.</summary>
    protected abstract bool IsFloat64 { get; }

    /// <summary>Cases of a fixture folder crossed with the proxies each case lists, filtered.</summary>
    protected static TheoryData<string, string> CasesAndProxies(string folder, Func<string, string, bool> include)
    {
        var data = new TheoryData<string, string>();
        foreach (var caseName in OracleFixture.CaseNames(folder))
        {
            foreach (var proxy in OracleFixture.Load(Path.Combine(folder, caseName)).ProxyNames)
            {
                if (include(caseName, proxy))
                {
                    data.Add(caseName, proxy);
                }
            }
        }

        return data;
    }

    /// <summary>Scores one case with one proxy through the runner (fixed weights, the case's batch) and checks it.</summary>
    protected void AssertProxy(string folder, string caseName, string proxyId)
    {
        var fixture = OracleFixture.Load(Path.Combine(folder, caseName));
        var proxy = s_registry.Get(proxyId);
        var result = new ProxyRunner(Context).Run([ArchitectureInput.FromWeights(caseName, fixture.Weights)], [proxy], fixture.Batch).Single();
        var actual = result[proxyId];
        var expected = fixture.ExpectedProxy(proxyId, IsFloat64 ? "value_f64" : "value");
        if (proxyId == ProxyIds.SynFlow)
        {
            expected = fixture.ExpectedProxy(proxyId); // SynFlow is float64 in both pipelines
        }

        if (proxyId == ProxyIds.Naswot)
        {
            AssertNaswot(fixture, expected, actual);
            return;
        }

        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"{caseName} {proxyId}: expected NaN, got {actual:R}");
            return;
        }

        Assert.False(double.IsNaN(actual), $"{caseName} {proxyId}: got NaN, expected {expected:R}");
        if (expected == 0)
        {
            Assert.True(actual == 0 && !double.IsNegative(actual), $"{caseName} {proxyId}: expected exactly +0, got {actual:R}");
            return;
        }

        var tolerance = Tolerance(fixture, proxyId, expected);
        Assert.True(Math.Abs(actual - expected) <= tolerance,
            $"{caseName} {proxyId}: {actual:R} vs expected {expected:R}, |Δ| = {Math.Abs(actual - expected):R} > {tolerance:R}");
    }

    private double Tolerance(OracleFixture fixture, string proxyId, double expected)
    {
        double Field(string name) => fixture.ExpectedProxy(proxyId, name);
        var magnitude = Math.Abs(expected);
        if (IsFloat64)
        {
            return proxyId switch
            {
                ProxyIds.Snip or ProxyIds.GradNorm or ProxyIds.Fisher => 1e-8 * magnitude,
                ProxyIds.Grasp => 1e-8 * Field("abs_sum"),
                ProxyIds.SynFlow => 1e-9 * magnitude,
                ProxyIds.GradSign => Math.Max(2, 1e-6 * magnitude),
                ProxyIds.JacobCov => 1e-9 * magnitude,
                _ => throw new InvalidOperationException($"No tolerance for {proxyId}."),
            };
        }

        return proxyId switch
        {
            ProxyIds.Snip or ProxyIds.GradNorm or ProxyIds.Fisher => Math.Max(1e-5, 10 * Field("rel_diff_f32_vs_f64")) * magnitude,
            ProxyIds.Grasp => Math.Max(1e-5 * Field("abs_sum"), 10 * Field("abs_diff_f32_vs_f64")),
            ProxyIds.SynFlow => 1e-9 * magnitude,
            ProxyIds.GradSign => Math.Max(4, Math.Max(1e-5 * magnitude, 4 * Field("abs_diff_f32_vs_f64"))),
            ProxyIds.JacobCov => Math.Max(1e-6, 10 * Field("rel_diff_f32_vs_f64")) * magnitude,
            _ => throw new InvalidOperationException($"No tolerance for {proxyId}."),
        };
    }

    private void AssertNaswot(OracleFixture fixture, double expected, double actual)
    {
        var proxy = (NaswotProxy)s_registry.Get(ProxyIds.Naswot);
        var k = proxy.ComputeKernel(fixture.Weights, fixture.Batch, Context);
        var expectedK = fixture.ExpectedMatrix(ProxyIds.Naswot, IsFloat64 ? "K_f64" : "K");
        var n = k.GetLength(0);
        Assert.Equal(expectedK.GetLength(0), n);
        var differing = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                differing += k[i, j] == expectedK[i, j] ? 0 : 1;
            }
        }

        // float64 must reproduce K_f64 exactly; float32 reproduces K "exactly in most cases", and where rounding flips a
        // ReLU code (the reference's own float32 and float64 kernels differ there) the value must still agree to 1e-6.
        var exact = differing == 0;
        if (IsFloat64)
        {
            Assert.True(exact, $"{fixture.Case}: {differing} entries of K differ from K_f64");
        }

        if (double.IsNegativeInfinity(expected))
        {
            Assert.Equal(double.NegativeInfinity, actual);
            return;
        }

        var rel = exact ? 1e-10 : 1e-6;
        Assert.True(Math.Abs(actual - expected) <= rel * Math.Abs(expected), $"{fixture.Case} naswot {actual:R} vs {expected:R} ({differing} entries of K differ)");
    }
}
