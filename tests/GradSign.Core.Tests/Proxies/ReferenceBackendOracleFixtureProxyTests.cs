using GradSign.Proxies;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Proxies;

/// <summary>The float64 pipeline on the naive reference backend vs <c>value_f64</c>: a few cases (the backend is slow).</summary>
public class ReferenceBackendOracleFixtureProxyTests : OracleFixtureProxyTests
{
    protected override ProxyContext Context { get; } = new(new GradSign.Tests.Backends.Reference.ReferenceBackend()) { Precision = GradSign.Backends.Precision.Float64 };

    protected override bool IsFloat64 => true;

    public static TheoryData<string, string> Base() => CasesAndProxies(SharedPaths.Fixtures, (c, p) => c == "c8n1_00_best");

    public static TheoryData<string, string> Ext() => CasesAndProxies(SharedPaths.FixturesExt, (c, p) =>
        (c == "c8n1_00_best" && p is ProxyIds.GradNorm or ProxyIds.Fisher or ProxyIds.JacobCov) || (c == "nb101_d2_skip_one_vertex" && p == ProxyIds.GradSign));

    [Theory]
    [MemberData(nameof(Base))]
    public void Proxy_BaseFixture_MatchesFloat64Value(string caseName, string proxy) => AssertProxy(SharedPaths.Fixtures, caseName, proxy);

    [Theory]
    [MemberData(nameof(Ext))]
    public void Proxy_ExtFixture_MatchesFloat64Value(string caseName, string proxy) => AssertProxy(SharedPaths.FixturesExt, caseName, proxy);
}
