using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Cli.Fixtures;
using GradSign.Networks.Import;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Backends;

/// <summary>
/// A backend's engine against the PyTorch oracle fixtures (NAS-Bench-201, C = 8, N = 1), with the tolerances of
/// fixtures/README.md: forward logits, batch gradients (grads.f32), GraSP's −θ·(H g) and GradSign's per-sample sign sums.
/// Derive from it and implement <see cref="Backend"/> to check a backend.
/// </summary>
public abstract class BackendFixtureTests
{
    public static TheoryData<string> AllSmallCases() =>
    [
        "c8n1_00_best", "c8n1_01_allconv3", "c8n1_02_allconv1", "c8n1_03_allskip", "c8n1_04_allpool", "c8n1_05_resnetlike",
        "c8n1_06_nonemix", "c8n1_07_mixed", "c8n1_08_deadout", "c8n1_09_allnone", "c8n1_x1_im16_best", "c8n1_x2_cls100_b16_nonemix",
    ];

    public static TheoryData<string, Precision> ProxyCases()
    {
        var data = new TheoryData<string, Precision>();
        foreach (var c in new[] { "c8n1_00_best", "c8n1_04_allpool", "c8n1_06_nonemix", "c8n1_08_deadout" })
        {
            data.Add(c, Precision.Float32);
            data.Add(c, Precision.Float64);
        }

        return data;
    }

    /// <summary>The backend under test.</summary>
    protected abstract ITensorBackend Backend { get; }

    [FixtureTheory]
    [MemberData(nameof(AllSmallCases))]
    public void Forward_Logits_MatchOracleBothPipelines(string name)
    {
        var f = Load(name);
        foreach (var (precision, expected, tolerance) in new[] { (Precision.Float32, f.ForwardLogits, 1e-5), (Precision.Float64, f.ForwardLogitsF64, 1e-10) })
        {
            using var e = Backend.Compile(f.Weights, new ExecutionOptions { Precision = precision });
            var logits = new double[f.Batch.Count * f.Spec.NumClasses];
            e.Forward(f.Batch, logits);
            Assert.Equal(expected.Length, logits.Length);
            for (var i = 0; i < logits.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - logits[i]) <= tolerance, $"{name} {precision} logit {i}: oracle {expected[i]:R}, {Backend.Name} {logits[i]:R}");
            }
        }
    }

    /// <summary>
    /// Float32 engine vs grads.f32 (PyTorch float32). The README gives no tolerance for raw gradients, so each scored
    /// tensor gets the grad_norm-style bound max(1e-5·max|g_l|, 10·|‖g_l‖ f32 − ‖g_l‖ f64|) from fixtures_ext, and
    /// unscored tensors 1e-5 of the largest gradient. Where the oracle's float32 pipeline is itself ill-conditioned
    /// (grad_norm rel_diff_f32_vs_f64 &gt; 1e-7, i.e. x2: its float32 stem gradients are off by up to 4e-3 relative,
    /// while this engine's float64 gradients match the oracle's float64 norms to 1e-8), element-wise comparison
    /// against it is meaningless and grad_norm (Σ_l ‖g_l‖) is compared with the README's tolerance instead.
    /// </summary>
    [FixtureTheory]
    [MemberData(nameof(AllSmallCases))]
    public void Backward_CrossEntropyGradients_MatchOracleGrads(string name)
    {
        var f = Load(name);
        var oracle = f.Gradients ?? throw new InvalidOperationException($"{name} has no grads.f32.");
        var loss = f.ForwardLoss;
        var extended = LoadExtended(name);
        var perLayer = extended.ExpectedPerLayer("grad_norm");
        var perLayer64 = extended.ExpectedPerLayer("grad_norm", "per_layer_f64");
        using var e = Backend.Compile(f.Weights, ExecutionOptions.Default);
        var g = e.Backward(f.Batch, Objective.CrossEntropy);
        Assert.Equal(loss, g.Value, 1e-6);
        if (extended.ExpectedProxy("grad_norm", "rel_diff_f32_vs_f64") > 1e-7)
        {
            var relative = Math.Max(1e-5, 10 * extended.ExpectedProxy("grad_norm", "rel_diff_f32_vs_f64"));
            var total = f.Spec.Parameters.Where(p => p.IsScored).Sum(p => Math.Sqrt(g.ParameterGradients[p.Index].Sum(v => v * v)));
            var value = extended.ExpectedProxy("grad_norm");
            Assert.True(Math.Abs(total - value) <= relative * value, $"{name}: grad_norm {total:R} vs oracle {value:R}");
            return;
        }

        var scale = oracle.SelectMany(t => t).Max(Math.Abs);
        var scored = 0;
        foreach (var p in f.Spec.Parameters)
        {
            var expected = oracle[p.Index];
            var tolerance = 1e-5 * Math.Max(scale, 1e-30);
            if (p.IsScored)
            {
                tolerance = Math.Max(1e-5 * expected.Select(Math.Abs).DefaultIfEmpty(0).Max(), 10 * Math.Abs(perLayer[scored] - perLayer64[scored]));
                scored++;
            }

            for (var j = 0; j < expected.Length; j++)
            {
                Assert.True(Math.Abs(expected[j] - g.ParameterGradients[p.Index][j]) <= tolerance,
                    $"{name} {p.Name}[{j}]: oracle {expected[j]:R}, {Backend.Name} {g.ParameterGradients[p.Index][j]:R} (tolerance {tolerance:E2})");
            }
        }
    }

    /// <summary>Float64 engine: per-layer weight-gradient norms vs the oracle's float64 pipeline (fixtures_ext grad_norm, rel 1e-8).</summary>
    [FixtureTheory]
    [MemberData(nameof(AllSmallCases))]
    public void Backward_Float64WeightGradientNorms_MatchOracleFloat64Pipeline(string name)
    {
        var f = Load(name);
        var expected = LoadExtended(name).ExpectedPerLayer("grad_norm", "per_layer_f64");
        using var e = Backend.Compile(f.Weights, new ExecutionOptions { Precision = Precision.Float64 });
        var g = e.Backward(f.Batch, Objective.CrossEntropy);
        var norms = f.Spec.Parameters.Where(p => p.IsScored).Select(p => Math.Sqrt(g.ParameterGradients[p.Index].Sum(v => v * v))).ToArray();
        Assert.Equal(expected.Length, norms.Length);
        for (var l = 0; l < norms.Length; l++)
        {
            Assert.True(Math.Abs(norms[l] - expected[l]) <= 1e-8 * Math.Max(expected[l], 1e-300) || (expected[l] == 0 && norms[l] == 0),
                $"{name} layer {l}: ‖g‖ {norms[l]:R} vs oracle f64 {expected[l]:R}");
        }
    }

    [FixtureTheory]
    [MemberData(nameof(ProxyCases))]
    public void GraspStyleHessianGradientProduct_MatchesOracle(string name, Precision precision)
    {
        var f = Load(name);
        using var e = Backend.Compile(f.Weights, new ExecutionOptions { Precision = precision });
        var g = e.Backward(f.Batch, Objective.CrossEntropy).ParameterGradients;
        var v = f.Spec.Parameters.Select(p => p.IsScored ? g[p.Index] : null).ToArray();
        var hg = e.HessianVectorProduct(f.Batch, Objective.CrossEntropy, v);
        var score = 0.0;
        foreach (var p in f.Spec.Parameters.Where(p => p.IsScored))
        {
            for (var j = 0; j < p.ElementCount; j++)
            {
                score -= f.Weights[p.Index][j] * hg[p.Index][j];
            }
        }

        var absSum = f.ExpectedProxy("grasp", "abs_sum");
        var (expected, tolerance) = precision == Precision.Float32
            ? (f.ExpectedProxy("grasp"), Math.Max(1e-5 * absSum, 10 * f.ExpectedProxy("grasp", "abs_diff_f32_vs_f64")))
            : (f.ExpectedProxy("grasp", "value_f64"), 1e-8 * absSum);
        Assert.True(Math.Abs(score - expected) <= tolerance, $"{name} {precision}: GraSP {score:R} vs oracle {expected:R} (tolerance {tolerance:E2})");
    }

    [FixtureTheory]
    [MemberData(nameof(ProxyCases))]
    public void PerSampleSignSums_MatchOracleGradSign(string name, Precision precision)
    {
        var f = Load(name);
        using var e = Backend.Compile(f.Weights, new ExecutionOptions { Precision = precision });
        var scored = f.Spec.Parameters.Where(p => p.IsScored).ToArray();
        var counts = scored.Select(p => new long[p.ElementCount]).ToArray();
        e.PerSampleGradients(f.Batch, (_, grads) =>
        {
            for (var s = 0; s < scored.Length; s++)
            {
                var g = grads[scored[s].Index];
                for (var j = 0; j < g.Length; j++)
                {
                    counts[s][j] += g[j] > 0 ? 1 : g[j] < 0 ? -1 : 0;
                }
            }
        });
        var score = counts.Sum(c => c.Sum(Math.Abs));
        var (expected, tolerance) = precision == Precision.Float32
            ? (f.ExpectedProxy("gradsign"), Math.Max(4, Math.Max(1e-5 * f.ExpectedProxy("gradsign"), 4 * f.ExpectedProxy("gradsign", "abs_diff_f32_vs_f64"))))
            : (f.ExpectedProxy("gradsign", "value_f64"), Math.Max(2, 1e-6 * f.ExpectedProxy("gradsign", "value_f64")));
        Assert.True(Math.Abs(score - expected) <= tolerance, $"{name} {precision}: GradSign {score} vs oracle {expected} (tolerance {tolerance})");
    }

    private static OracleFixture Load(string name) => OracleFixture.Load(Path.Combine(SharedPaths.Fixtures, name));

    /// <summary>The fixtures_ext case of the same name (grad_norm, fisher, jacob_cov).</summary>
    private static OracleFixture LoadExtended(string name) => OracleFixture.Load(Path.Combine(SharedPaths.FixturesExt, name));
}
