using GradSign.Backends.Managed.Kernels;
using GradSign.Internal;
using static GradSign.Tests.Backends.Managed.Kernels.KernelTestData;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>
/// The BatchNorm reductions accumulate float32 runs in float64 whatever the vector width, as PyTorch's CPU BatchNorm does
/// (<c>acc_type&lt;float&gt; = double</c>). Inputs sit far from zero (mean 100, spread 1) like post-ReLU activations, so a
/// float32 running sum loses several ulps of the partial sums — far outside the float64 bound these tests use.
/// Accumulating in float32 shifted per-sample BatchNorm means by up to ~1e-6·σ on 8×8..32×32 runs (only with 128-bit
/// or no SIMD), flipping ReLUs of the NB101 fixture <c>nb101_d2_skip_one_vertex</c> and its GradSign score by 24.
/// </summary>
[Trait("Category", "Kernels")]
public class BatchNormStatisticsKernelTests
{
    /// <summary>Run lengths: 8×8, 16×16, 32×32 and odd ones that leave a scalar tail.</summary>
    public static TheoryData<int> Lengths() => [1, 7, 64, 67, 256, 1024, 1031];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void PackedSum_FloatRun_AccumulatesInFloat64(int n)
    {
        var x = Shifted(n, 1);
        double exact = 0, scale = 0;
        foreach (var v in x)
        {
            exact += v;
            scale += Math.Abs(v);
        }

        AssertFloat64Accurate(exact, PackedSum.Sum<float>(x), n, scale, "Σx");
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void PackedSum_FloatDot_AccumulatesInFloat64(int n)
    {
        var x = Shifted(n, 2);
        var y = Random<float>(n, 3);
        double exact = 0, scale = 0;
        for (var i = 0; i < n; i++)
        {
            exact += (double)x[i] * y[i];
            scale += Math.Abs((double)x[i] * y[i]);
        }

        AssertFloat64Accurate(exact, PackedSum.Dot<float>(x, y), n, scale, "Σx·y");
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SumOfSquaredDeviations_FloatRun_AccumulatesInFloat64(int n)
    {
        var x = Shifted(n, 4);
        var m = (float)x.Average(v => (double)v);
        double exact = 0;
        foreach (var v in x)
        {
            exact += ((double)v - m) * ((double)v - m);
        }

        AssertFloat64Accurate(exact, SumOfSquaredDeviations.Run(x, m), n, exact, "Σ(x−m)²");
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SumAndDot_FloatRun_AccumulatesInFloat64(int n)
    {
        var a = Shifted(n, 5);
        var b = Random<float>(n, 6);
        double sum = 0, dot = 0, sumScale = 0, dotScale = 0;
        for (var i = 0; i < n; i++)
        {
            sum += a[i];
            dot += (double)a[i] * b[i];
            sumScale += Math.Abs(a[i]);
            dotScale += Math.Abs((double)a[i] * b[i]);
        }

        var (actualSum, actualDot) = SumAndDot.Run<float>(a, b);
        AssertFloat64Accurate(sum, actualSum, n, sumScale, "Σa");
        AssertFloat64Accurate(dot, actualDot, n, dotScale, "Σa·b");
    }

    /// <summary>
    /// Per-sample BatchNorm forward on 8×8 and 16×16 channels with mean 100·σ: x̂ must be the float32 normalisation
    /// with exact statistics, μ rounded to float32 once (as PyTorch does). x and μ are within a factor 2, so x − μ is
    /// exact (Sterbenz) and only r's rounding and the product round: |error| ≤ 2·ε₃₂·|x̂|. A mean accumulated in
    /// float32 is off by whole ulps of 100 (7.6e-6), i.e. ~1e-5 in x̂.
    /// </summary>
    [Theory]
    [InlineData(64)]
    [InlineData(256)]
    public void BatchNormForward_PerSampleFarFromZero_NormalisesWithExactStatistics(int spatial)
    {
        const int batch = 3, channels = 5;
        const double epsilon = 1e-5;
        var layout = new BatchNormLayout(batch, channels, spatial, PerSample: true);
        var x = Shifted(batch * channels * spatial, 7);
        var xhat = new float[x.Length];
        var invStd = new double[layout.Groups];
        BatchNormForward.Run<float>(layout, x, xhat, default, default, default, invStd, epsilon, 0, layout.Groups);
        for (var g = 0; g < layout.Groups; g++)
        {
            var run = x.AsSpan(layout.Offset(g, 0), spatial).ToArray();
            var mean = run.Average(v => (double)v);
            var m = (float)mean;
            var r = (float)(1 / Math.Sqrt((run.Sum(v => (v - mean) * (v - mean)) / spatial) + epsilon));
            for (var i = 0; i < spatial; i++)
            {
                var expected = ((double)run[i] - m) * r;
                var actual = xhat[layout.Offset(g, 0) + i];
                Assert.True(Math.Abs(actual - expected) <= 2 * MachineEpsilon<float>() * Math.Abs(expected),
                    $"group {g} element {i}: x̂ {actual:R}, expected {expected:R}");
            }
        }
    }

    /// <summary>100 + uniform[−1, 1): far from zero relative to the spread, like a BatchNorm input after ReLU and sums.</summary>
    private static float[] Shifted(int n, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var x = new float[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = (float)(100 + (2 * rng.NextDouble()) - 1);
        }

        return x;
    }

    /// <summary>|actual − exact| ≤ 2·n·ε₆₄·scale: the worst-case bound of two float64 summations of n terms in any order.
    /// A float32 accumulation errs by ~ε₃₂·scale/√lanes, about 10⁸ times more.</summary>
    private static void AssertFloat64Accurate(double exact, double actual, int n, double scale, string what)
    {
        var bound = 2 * n * Math.Pow(2, -52) * scale;
        Assert.True(Math.Abs(actual - exact) <= bound, $"{what} over {n}: {actual:R} vs float64 {exact:R}, |error| {Math.Abs(actual - exact):E3} > {bound:E3}");
    }
}
