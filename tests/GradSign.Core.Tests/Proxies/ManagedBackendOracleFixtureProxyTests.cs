using GradSign.Proxies;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Proxies;

/// <summary>The float32 pipeline on the managed backend vs <c>value</c>: every c8n1 and NB101 case, the cheap proxies on c16n5.</summary>
public class ManagedBackendOracleFixtureProxyTests : OracleFixtureProxyTests
{
    protected override ProxyContext Context { get; } = new(new GradSign.Backends.Managed.ManagedBackend());

    protected override bool IsFloat64 => false;

    public static TheoryData<string, string> Base() => CasesAndProxies(SharedPaths.Fixtures, (c, p) =>
        c.StartsWith("c8n1", StringComparison.Ordinal)
        || p is ProxyIds.SynFlow or ProxyIds.Naswot
        || c is "c16n5_03_allskip" or "c16n5_09_allnone");

    // nb101_d2 gradsign runs as its own fact below (the regression for float32-accumulated BatchNorm statistics).
    public static TheoryData<string, string> Ext() => CasesAndProxies(SharedPaths.FixturesExt, (c, p) =>
        !(c == "nb101_d2_skip_one_vertex" && p == ProxyIds.GradSign)
        && (c.StartsWith("nb101", StringComparison.Ordinal) || p is ProxyIds.GradNorm or ProxyIds.Fisher or ProxyIds.JacobCov));

    [Theory]
    [MemberData(nameof(Base))]
    public void Proxy_BaseFixture_MatchesValue(string caseName, string proxy) => AssertProxy(SharedPaths.Fixtures, caseName, proxy);

    [Theory]
    [MemberData(nameof(Ext))]
    public void Proxy_ExtFixture_MatchesValue(string caseName, string proxy) => AssertProxy(SharedPaths.FixturesExt, caseName, proxy);

    /// <summary>Sample 5 has an activation 2e-7·σ from its per-sample BatchNorm mean: with BatchNorm statistics summed in
    /// float32 (128-bit vectors) the mean's error flipped its ReLU and the score was 381730; the statistics are now
    /// accumulated in float64 like PyTorch's, and AVX-512, AVX2 and 128-bit runs all give 381708 (= value_f64).</summary>
    [Fact]
    public void GradSign_Nb101SkipOneVertex_MatchesValue() => AssertProxy(SharedPaths.FixturesExt, "nb101_d2_skip_one_vertex", ProxyIds.GradSign);
}
