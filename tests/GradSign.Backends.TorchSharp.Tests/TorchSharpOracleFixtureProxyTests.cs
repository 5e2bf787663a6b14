using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Backends.TorchSharp;
using GradSign.Cli.Fixtures;
using GradSign.Networks;
using GradSign.Networks.Import;
using GradSign.Proxies;
using GradSign.Proxies.Evaluation;
using GradSign.Tests.Backends;
using GradSign.Tests.Infrastructure;
using GradSign.Tests.Proxies;

namespace GradSign.Tests.TorchSharp;

/// <summary>
/// Acceptance on LibTorch, float32 pipeline vs <c>value</c>: every case of both fixture sets, every proxy it lists, except
/// nb101_d2_skip_one_vertex's GradSign, which has its own fact below.
/// </summary>
public sealed class TorchSharpOracleFixtureProxyTests : OracleFixtureProxyTests
{
    private const string MarginCase = "nb101_d2_skip_one_vertex";

    protected override ProxyContext Context { get; } = new(new TorchSharpBackend());

    protected override bool IsFloat64 => false;

    public static TheoryData<string, string> Base() => CasesAndProxies(SharedPaths.Fixtures, (_, _) => true);

    public static TheoryData<string, string> Ext() => CasesAndProxies(SharedPaths.FixturesExt, (c, p) => !(c == MarginCase && p == ProxyIds.GradSign));

    /// <summary>
    /// nb101_d2_skip_one_vertex, GradSign in float32. In sample 5, one activation (the ReLU after layers.7.input_op.1, channel
    /// 22) lies 2.1e-7 σ below its per-sample BatchNorm mean in float64: two float32 ulps of the convolution output (1.486).
    /// LibTorch 2.10's float32 pipeline computes that output about 1e-6 above the float64 value under every kernel choice
    /// (oneDNN on or off, MKL's conditional-numerical-reproducibility mode, AVX2), so the ReLU passes the unit, sample 5's
    /// gradient changes sign on about ten weights and the score is 381726 against <c>value</c> 381706 (README tolerance 8).
    /// The reference's own float32 pipeline (PyTorch 1.13.1, oracle.py) gives 381728 on this AMD EPYC as well; <c>value</c>
    /// was produced on another CPU. The float64 pipeline meets <c>value_f64</c> (381708). So this fact asserts: the float32
    /// score is within the README tolerance, or else the float32 and float64 passes of sample 5 alone differ in exactly
    /// that one ReLU code and the float64 score meets <c>value_f64</c>.
    /// </summary>
    [FixtureFact]
    public void GradSign_Nb101SkipOneVertex_Float32IsWithinToleranceOrDiffersByTheOneMarginalReluCode()
    {
        var fixture = OracleFixture.Load(Path.Combine(SharedPaths.FixturesExt, MarginCase));
        var proxy = ProxyRegistry.CreateDefault().Get(ProxyIds.GradSign);
        double Score(ProxyContext context) => new ProxyRunner(context).Run([ArchitectureInput.FromWeights(MarginCase, fixture.Weights)], [proxy], fixture.Batch).Single()[ProxyIds.GradSign];

        var value = fixture.ExpectedProxy(ProxyIds.GradSign);
        var tolerance = Math.Max(4, Math.Max(1e-5 * value, 4 * fixture.ExpectedProxy(ProxyIds.GradSign, "abs_diff_f32_vs_f64")));
        var score = Score(Context);
        if (Math.Abs(score - value) <= tolerance)
        {
            return;
        }

        var value64 = fixture.ExpectedProxy(ProxyIds.GradSign, "value_f64");
        var score64 = Score(Context with { Precision = Precision.Float64 });
        Assert.True(Math.Abs(score64 - value64) <= Math.Max(2, 1e-6 * value64), $"float64 GradSign {score64} vs value_f64 {value64}");

        var sample = ConformanceData.Single(fixture.Batch, 5);
        var differing = new List<string>();
        using var net32 = Context.Backend.Compile(fixture.Weights, ExecutionOptions.Default);
        using var net64 = Context.Backend.Compile(fixture.Weights, ExecutionOptions.Default with { Precision = Precision.Float64 });
        var codes64 = new Dictionary<int, ulong[]>();
        net64.ReluCodes(sample, (in ReluCodeBlock b) => codes64[b.Layer] = b.Bits.ToArray());
        net32.ReluCodes(sample, (in ReluCodeBlock b) =>
        {
            for (var w = 0; w < b.Bits.Length; w++)
            {
                for (var bits = b.Bits[w] ^ codes64[b.Layer][w]; bits != 0; bits &= bits - 1)
                {
                    differing.Add($"{fixture.Spec.Layers[b.Layer].Name} unit {(w * 64) + System.Numerics.BitOperations.TrailingZeroCount(bits)}");
                }
            }
        });
        Assert.True(differing.Count == 1 && differing[0].StartsWith("layers.7.input_op.1.", StringComparison.Ordinal),
            $"float32 GradSign {score} vs value {value} (tolerance {tolerance}); ReLU codes of sample 5 differing between float32 and float64: {string.Join(", ", differing)}");
    }

    [FixtureTheory]
    [MemberData(nameof(Base))]
    public void Proxy_BaseFixture_MatchesValue(string caseName, string proxy) => AssertProxy(SharedPaths.Fixtures, caseName, proxy);

    [FixtureTheory]
    [MemberData(nameof(Ext))]
    public void Proxy_ExtFixture_MatchesValue(string caseName, string proxy) => AssertProxy(SharedPaths.FixturesExt, caseName, proxy);
}

/// <summary>Acceptance on LibTorch, float64 pipeline vs <c>value_f64</c>: every case of both fixture sets, every proxy it lists.</summary>
public sealed class TorchSharpFloat64OracleFixtureProxyTests : OracleFixtureProxyTests
{
    protected override ProxyContext Context { get; } = new(new TorchSharpBackend()) { Precision = Precision.Float64 };

    protected override bool IsFloat64 => true;

    public static TheoryData<string, string> Base() => CasesAndProxies(SharedPaths.Fixtures, (_, _) => true);

    public static TheoryData<string, string> Ext() => CasesAndProxies(SharedPaths.FixturesExt, (_, _) => true);

    [FixtureTheory]
    [MemberData(nameof(Base))]
    public void Proxy_BaseFixture_MatchesFloat64Value(string caseName, string proxy) => AssertProxy(SharedPaths.Fixtures, caseName, proxy);

    [FixtureTheory]
    [MemberData(nameof(Ext))]
    public void Proxy_ExtFixture_MatchesFloat64Value(string caseName, string proxy) => AssertProxy(SharedPaths.FixturesExt, caseName, proxy);
}
