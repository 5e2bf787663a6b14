using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Backends.Managed;
using GradSign.Data;
using GradSign.Proxies;
using GradSign.Tests.Backends.Reference;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Proxies;

/// <summary>
/// ZiCo against the oracle values (tolerances: <c>tests/fixtures/zico-zen/README.md</c>). Float64 runs reproduce
/// <c>value_f64</c> tightly; float32 ZiCo is ill-conditioned (near-tied part gradients), so the float32 pipeline is
/// checked within the measured spread of float32 computations, and its float32 statistics exactly on float64-computed
/// gradients rounded to float32.
/// </summary>
public sealed class ZicoFixtureTests
{
    private static readonly ProxyContext s_managed32 = new(new ManagedBackend());
    private static readonly ProxyContext s_managed64 = new(new ManagedBackend()) { Precision = Precision.Float64 };
    private static readonly ProxyContext s_reference64 = new(new ReferenceBackend()) { Precision = Precision.Float64 };

    public static TheoryData<string> AllCases() => ZicoZenFixtures.Cases("zico");

    public static TheoryData<string> ReferenceCases() => ZicoZenFixtures.Cases("zico", k => k is "fixtures/c8n1_00_best" or "fixtures_ext/nb101_d1_pruned");

    [FixtureTheory]
    [MemberData(nameof(AllCases))]
    public void Managed_Float32_WithinFloat32Spread(string key) => ZicoZenChecks.ZicoFloat32WithinSpread(key, s_managed32);

    [FixtureTheory]
    [MemberData(nameof(AllCases))]
    public void Managed_Float64_MatchesValueF64(string key) => ZicoZenChecks.ZicoFloat64(key, s_managed64);

    [FixtureTheory]
    [MemberData(nameof(ReferenceCases))]
    public void Reference_Float64_MatchesValueF64(string key) => ZicoZenChecks.ZicoFloat64(key, s_reference64);

    [FixtureTheory]
    [MemberData(nameof(AllCases))]
    public void Float32Statistics_OnRoundedFloat64Gradients_MatchOracle(string key)
    {
        // The oracle's third float32 variant: float64 gradients rounded once to float32, then ZiCo's statistics in
        // float32 with NumPy's operation order. The same inputs here check the float32 statistic itself exactly.
        var fixture = ZicoZenFixtures.Load(key);
        var expected = ZicoZenFixtures.Case("zico", key);
        var parts = (int)expected.Number("parts");
        var scored = fixture.Spec.Parameters.Where(p => p.IsScored).ToArray();
        var gradients = scored.Select(p => new float[parts * p.ElementCount]).ToArray();
        using var network = new ManagedBackend().Compile(fixture.Weights, ExecutionOptions.Default with { Precision = Precision.Float64 });
        var size = fixture.Batch.Count / parts;
        for (var part = 0; part < parts; part++)
        {
            var result = network.Backward(ZicoProxy.Part(fixture.Batch, part * size, size), Objective.CrossEntropy);
            for (var i = 0; i < scored.Length; i++)
            {
                var g = result.ParameterGradients[scored[i].Index];
                for (var k = 0; k < g.Length; k++)
                {
                    gradients[i][(part * g.Length) + k] = (float)g[k];
                }
            }
        }

        var score = ZicoProxy.Combine<float>(ProxyIds.Zico, gradients, parts);
        var perLayer = expected.Numbers("per_layer_f32_from_f64_grads");
        for (var l = 0; l < perLayer.Length; l++)
        {
            Assert.True(Math.Abs(score.PerLayer![l] - perLayer[l]) <= 1e-5, $"{key} layer {l}: {score.PerLayer[l]:R} vs {perLayer[l]:R}");
        }

        var value = expected.Number("value_f32_from_f64_grads");
        Assert.True(Math.Abs(score.Value - value) <= 2e-6 * Math.Max(1, Math.Abs(value)), $"{key}: {score.Value:R} vs {value:R}");
    }
}
