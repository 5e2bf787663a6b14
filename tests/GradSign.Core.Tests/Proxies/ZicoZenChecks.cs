using GradSign.Proxies;

namespace GradSign.Tests.Proxies;

/// <summary>
/// The ZiCo and Zen-score oracle checks (tolerances: <c>tests/fixtures/zico-zen/README.md</c>) for any backend's
/// <see cref="ProxyContext"/>, so every backend is held to the same assertions.
/// </summary>
internal static class ZicoZenChecks
{
    /// <summary>Float32 ZiCo is ill-conditioned (near-tied part gradients): the total within the measured spread of
    /// float32 computations.</summary>
    public static void ZicoFloat32WithinSpread(string key, ProxyContext context)
    {
        var expected = ZicoZenFixtures.Case("zico", key);
        var score = Zico(key, context);
        var value = expected.Number("value");
        if (value == 0)
        {
            Assert.True(score.Value == 0 && !double.IsNegative(score.Value), $"{key}: expected exactly +0, got {score.Value:R}");
            return;
        }

        // Only the total: per layer, one near-tied element can move a float32 term by more than the whole spread.
        var tolerance = Math.Max(3e-3 * Math.Abs(value), 4 * expected.Number("spread_f32"));
        Assert.True(Math.Abs(score.Value - value) <= tolerance, $"{key}: {score.Value:R} vs {value:R} (tolerance {tolerance:g3})");
    }

    /// <summary>Float64 ZiCo per layer and in total against <c>value_f64</c>.</summary>
    public static void ZicoFloat64(string key, ProxyContext context)
    {
        // A relative gradient difference d moves a layer's term by about d·κ (κ = Σr²/Σr of its ratios r): float64
        // gradients of two implementations differ by about 1e-12 in the deep cases, so d = 1e-11 (README).
        var expected = ZicoZenFixtures.Case("zico", key);
        var score = Zico(key, context);
        var perLayer = expected.Numbers("per_layer_f64");
        var condition = expected.Numbers("per_layer_condition_f64");
        for (var l = 0; l < perLayer.Length; l++)
        {
            var tolerance = Math.Max(1e-9 * Math.Max(1, Math.Abs(perLayer[l])), 1e-11 * condition[l]);
            Assert.True(Math.Abs(score.PerLayer![l] - perLayer[l]) <= tolerance, $"{key} layer {l}: {score.PerLayer[l]:R} vs {perLayer[l]:R} (tolerance {tolerance:g3})");
        }

        var value = expected.Number("value_f64");
        var total = Math.Max(1e-9 * Math.Max(1, Math.Abs(value)), 1e-11 * condition.Sum());
        Assert.True(Math.Abs(score.Value - value) <= total, $"{key}: {score.Value:R} vs {value:R} (tolerance {total:g3})");
    }

    /// <summary>Float32 Zen-score against <c>value</c>.</summary>
    public static void ZenFloat32(string key, ProxyContext context)
    {
        var expected = ZicoZenFixtures.Case("zen", key);
        var value = expected.Number("value");
        var actual = Zen(key, context, repeats: 1);
        if (double.IsInfinity(value))
        {
            Assert.Equal(value, actual);
            return;
        }

        var tolerance = Math.Max(1e-6 * Math.Abs(value), 10 * expected.Number("abs_diff_f32_vs_f64"));
        Assert.True(Math.Abs(actual - value) <= tolerance, $"{key}: {actual:R} vs {value:R} (tolerance {tolerance:g3})");
    }

    /// <summary>Float64 Zen-score against <paramref name="field"/> (<c>value_f64</c>, or <c>value_repeats2_f64</c> with two repeats).</summary>
    public static void ZenFloat64(string key, ProxyContext context, string field = "value_f64", int repeats = 1)
    {
        var value = ZicoZenFixtures.Case("zen", key).Number(field);
        var actual = Zen(key, context, repeats);
        if (double.IsInfinity(value))
        {
            Assert.Equal(value, actual);
            return;
        }

        Assert.True(Math.Abs(actual - value) <= 1e-9 * Math.Max(1, Math.Abs(value)), $"{key} {field}: {actual:R} vs {value:R}");
    }

    /// <summary>ZiCo on a fixture case.</summary>
    public static ProxyScore Zico(string key, ProxyContext context)
    {
        var fixture = ZicoZenFixtures.Load(key);
        return new ZicoProxy().Compute(fixture.Weights, fixture.Batch, context);
    }

    /// <summary>Zen-score on a fixture case with the oracle's seed.</summary>
    public static double Zen(string key, ProxyContext context, int repeats)
    {
        var fixture = ZicoZenFixtures.Load(key);
        var seed = (ulong)ZicoZenFixtures.Case("zen", key).Number("seed");
        return new ZenScoreProxy(new ZenScoreOptions { Seed = seed, Repeats = repeats }).Compute(fixture.Weights, fixture.Batch, context).Value;
    }
}
