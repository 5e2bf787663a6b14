using GradSign.Backends;
using GradSign.Backends.Managed;
using GradSign.Internal;
using GradSign.Proxies;
using GradSign.Tests.Backends.Reference;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Proxies;

/// <summary>
/// Zen-score against the oracle values (tolerances: <c>tests/fixtures/zico-zen/README.md</c>). The oracle draws its
/// Gaussian weights and inputs with the same generator and seed, so both sides see the same numbers; the first values
/// of every drawn tensor are checked on their own first.
/// </summary>
public sealed class ZenFixtureTests
{
    private static readonly ProxyContext s_managed32 = new(new ManagedBackend());
    private static readonly ProxyContext s_managed64 = new(new ManagedBackend()) { Precision = Precision.Float64 };
    private static readonly ProxyContext s_reference64 = new(new ReferenceBackend()) { Precision = Precision.Float64 };

    public static TheoryData<string> AllCases() => ZicoZenFixtures.Cases("zen");

    public static TheoryData<string> RepeatCases() => ZicoZenFixtures.Cases("zen", k => ZicoZenFixtures.Case("zen", k).TryGetProperty("value_repeats2", out _));

    [FixtureTheory]
    [MemberData(nameof(AllCases))]
    public void GaussianDraws_MatchOracleGenerator(string key)
    {
        var fixture = ZicoZenFixtures.Load(key);
        var expected = ZicoZenFixtures.Case("zen", key);
        var rng = new SplitMix64((ulong)expected.Number("seed"));
        var weights = ZenScoreProxy.GaussianWeights(fixture.Spec, rng);
        var first = expected.GetProperty("first_values");
        foreach (var p in fixture.Spec.Parameters.Where(p => p.IsScored))
        {
            Assert.Equal(first.Numbers(p.Name), weights[p.Index].Take(3).Select(v => (double)v));
        }

        var count = fixture.Batch.Count * fixture.Batch.SampleSize;
        Assert.Equal(first.Numbers("x1"), ZenScoreProxy.Draw(rng, count).Take(3).Select(v => (double)v));
        Assert.Equal(first.Numbers("x2"), ZenScoreProxy.Draw(rng, count).Take(3).Select(v => (double)v));
    }

    [FixtureTheory]
    [MemberData(nameof(AllCases))]
    public void Managed_Float32_MatchesValue(string key) => ZicoZenChecks.ZenFloat32(key, s_managed32);

    [FixtureTheory]
    [MemberData(nameof(AllCases))]
    public void Managed_Float64_MatchesValueF64(string key) => ZicoZenChecks.ZenFloat64(key, s_managed64);

    [FixtureTheory]
    [MemberData(nameof(RepeatCases))]
    public void Managed_TwoRepeats_MatchRepeatValues(string key)
    {
        ZicoZenChecks.ZenFloat64(key, s_managed64, "value_repeats2_f64", repeats: 2);
        var value = ZicoZenFixtures.Case("zen", key).Number("value_repeats2");
        var actual = ZicoZenChecks.Zen(key, s_managed32, repeats: 2);
        Assert.True(Math.Abs(actual - value) <= 1e-6 * Math.Abs(value), $"{key}: {actual:R} vs {value:R}");
    }

    [FixtureTheory]
    [InlineData("fixtures/c8n1_00_best")]
    [InlineData("fixtures/c8n1_09_allnone")]
    public void Reference_Float64_MatchesValueF64(string key) => ZicoZenChecks.ZenFloat64(key, s_reference64);
}
