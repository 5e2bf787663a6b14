using GradSign.Backends;
using GradSign.Backends.TorchSharp;
using GradSign.Proxies;
using GradSign.Tests.Infrastructure;
using GradSign.Tests.Proxies;

namespace GradSign.Tests.TorchSharp;

/// <summary>ZiCo and Zen-score on LibTorch against the oracle values, with the managed backend's assertions.</summary>
public sealed class TorchSharpZicoZenFixtureTests
{
    private static readonly ProxyContext s_torch32 = new(new TorchSharpBackend());
    private static readonly ProxyContext s_torch64 = new(new TorchSharpBackend()) { Precision = Precision.Float64 };

    public static TheoryData<string> ZicoCases() => ZicoZenFixtures.Cases("zico");

    public static TheoryData<string> ZenCases() => ZicoZenFixtures.Cases("zen");

    [FixtureTheory]
    [MemberData(nameof(ZicoCases))]
    public void Zico_Float32_WithinFloat32Spread(string key) => ZicoZenChecks.ZicoFloat32WithinSpread(key, s_torch32);

    [FixtureTheory]
    [MemberData(nameof(ZicoCases))]
    public void Zico_Float64_MatchesValueF64(string key) => ZicoZenChecks.ZicoFloat64(key, s_torch64);

    [FixtureTheory]
    [MemberData(nameof(ZenCases))]
    public void Zen_Float32_MatchesValue(string key) => ZicoZenChecks.ZenFloat32(key, s_torch32);

    [FixtureTheory]
    [MemberData(nameof(ZenCases))]
    public void Zen_Float64_MatchesValueF64(string key) => ZicoZenChecks.ZenFloat64(key, s_torch64);
}
