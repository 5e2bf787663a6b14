using System.Numerics;
using GradSign.Backends.Managed;
using GradSign.Backends.Managed.Kernels;
using static GradSign.Tests.Backends.Managed.Kernels.KernelTestData;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>
/// BatchNorm forward with reference rounding against a scalar transcription of PyTorch 1.13's CPU recipe
/// (<see cref="BatchNormForward"/>): bit-identical outputs on odd sizes (vector body and scalar tail), batch and
/// per-sample statistics, with and without affine parameters.
/// </summary>
[Trait("Category", "Kernels")]
public class BatchNormReferenceRoundingKernelTests
{
    public static TheoryData<int, int, int, bool, bool> Cases() => new()
    {
        // batch, channels, spatial, per sample, affine
        { 8, 5, 64, false, true },
        { 3, 7, 67, false, true },
        { 8, 3, 1024, false, false },
        { 2, 4, 17, true, true },
        { 3, 2, 256, true, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_ReferenceRounding_Float_BitIdenticalToPyTorchRecipe(int batch, int channels, int spatial, bool perSample, bool affine)
    {
        var layout = new BatchNormLayout(batch, channels, spatial, perSample);
        var x = Shifted(batch * channels * spatial, 61);
        var gamma = affine ? Random<float>(channels, 62).Select(v => 1 + (v / 4)).ToArray() : [];
        var beta = affine ? Random<float>(channels, 63) : [];
        var xhat = new float[x.Length];
        var y = affine ? new float[x.Length] : [];
        var invStd = new double[layout.Groups];
        BatchNormForward.Run<float>(layout, x, xhat, y, gamma, beta, invStd, 1e-5, 0, layout.Groups, referenceRounding: true);
        var output = affine ? y : xhat;
        for (var g = 0; g < layout.Groups; g++)
        {
            var values = Enumerable.Range(0, layout.RunsPerGroup).SelectMany(k => x.AsSpan(layout.Offset(g, k), spatial).ToArray()).ToArray();
            var c = layout.Channel(g);
            var (alpha, shift) = PyTorchRecipe(values, affine ? gamma[c] : 1f, affine ? beta[c] : 0f, 1e-5);
            for (var k = 0; k < layout.RunsPerGroup; k++)
            {
                for (var i = 0; i < spatial; i++)
                {
                    var at = layout.Offset(g, k) + i;
                    var expected = MathF.FusedMultiplyAdd(x[at], alpha, shift);
                    Assert.True(expected == output[at], $"group {g} run {k} element {i}: {output[at]:R} vs PyTorch recipe {expected:R}");
                }
            }
        }
    }

    [Fact]
    public void ReferenceRounding_BatchNorm_OnlyFloat32BatchPasses()
    {
        Assert.True(ReferenceRounding.BatchNorm<float>(perSample: false));
        Assert.False(ReferenceRounding.BatchNorm<float>(perSample: true));
        Assert.False(ReferenceRounding.BatchNorm<double>(perSample: false));
    }

    /// <summary>
    /// batch_norm_cpu_collect_stats_contiguous_impl: mean = (float)(Σ_double x / N), var_sum = Σ_double (float)((x−mean)²),
    /// stored as float; update_stats: invstd = (float)(1/√((double)(var_sum / N in float) + ε));
    /// collect_linear_and_constant_terms: α = invstd·γ, β' = β − mean·α (one rounding, FMA-contracted).
    /// </summary>
    private static (float Alpha, float Shift) PyTorchRecipe(float[] values, float gamma, float beta, double epsilon)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        var mean = (float)(sum / values.Length);
        var squares = 0.0;
        foreach (var v in values)
        {
            var d = v - mean;
            squares += d * d;
        }

        var variance = (float)squares / values.Length;
        var invStd = (float)(1 / Math.Sqrt(variance + epsilon));
        var alpha = invStd * gamma;
        return (alpha, MathF.FusedMultiplyAdd(-mean, alpha, beta));
    }

    /// <summary>3 + uniform[−1, 1): a mean a few σ from zero, where the recipe's β' rounding shows.</summary>
    private static float[] Shifted(int n, ulong seed) => [.. Random<float>(n, seed).Select(v => 3 + v)];
}
