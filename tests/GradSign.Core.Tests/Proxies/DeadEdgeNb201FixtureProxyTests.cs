using GradSign.Backends;
using GradSign.Backends.Managed;
using GradSign.Proxies;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Proxies;

/// <summary>
/// NAS-Bench-201 cells with dead edges (Fixtures/nb201_dead_edge, see the README beside them): `none` edges that cut a
/// pool or a convolution off from the output, and convolutions whose input node is all `none`, so they read zeros and
/// their BatchNorm sees a constant. All eight proxies on the managed backend, float32 against <c>value</c> and float64
/// against <c>value_f64</c>, with the tolerances of the oracle's fixture READMEs. The fixtures live in the repository,
/// so these tests always run.
/// </summary>
public class ManagedDeadEdgeNb201Float32FixtureTests : OracleFixtureProxyTests
{
    protected override ProxyContext Context { get; } = new(new ManagedBackend());

    protected override bool IsFloat64 => false;

    public static TheoryData<string, string> Cases() => CasesAndProxies(SharedPaths.DeadEdgeNb201Fixtures, (_, _) => true);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Proxy_DeadEdgeFixture_MatchesValue(string caseName, string proxy) => AssertProxy(SharedPaths.DeadEdgeNb201Fixtures, caseName, proxy);
}

/// <summary>The float64 pipeline of the managed backend on the C=8, N=1 dead-edge fixtures, against <c>value_f64</c>.</summary>
public class ManagedDeadEdgeNb201Float64FixtureTests : OracleFixtureProxyTests
{
    protected override ProxyContext Context { get; } = new(new ManagedBackend()) { Precision = Precision.Float64 };

    protected override bool IsFloat64 => true;

    public static TheoryData<string, string> Cases() => CasesAndProxies(SharedPaths.DeadEdgeNb201Fixtures, (name, _) => name.StartsWith("c8n1_", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Proxy_DeadEdgeFixture_MatchesValueF64(string caseName, string proxy) => AssertProxy(SharedPaths.DeadEdgeNb201Fixtures, caseName, proxy);
}
