using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace GradSign.Statistics;

/// <summary>
/// Confidence intervals for rank correlations: seeded percentile bootstrap for Spearman's ρ and Kendall's τ,
/// and the Fisher z-transform interval for a correlation coefficient.
/// </summary>
/// <threadsafety>All members are thread-safe; bootstraps are deterministic for a given seed.</threadsafety>
public static class ConfidenceIntervals
{
    private delegate double PairStatistic(ReadOnlySpan<double> x, ReadOnlySpan<double> y, CorrelationWorkspace workspace);

    /// <summary>Percentile bootstrap interval for Spearman's ρ (resampling pairs with replacement).</summary>
    /// <param name="x">First sample.</param>
    /// <param name="y">Second sample, paired element-wise with <paramref name="x"/>.</param>
    /// <param name="options">Resamples, confidence, seed and NaN policy (default <see cref="BootstrapOptions.Default"/>).</param>
    /// <param name="progress">Receives the number of completed resamples, now and then.</param>
    /// <param name="cancellationToken">Checked between resamples.</param>
    /// <returns>The interval; see <see cref="BootstrapKendall"/> for the NaN rules, which are the same.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or a NaN is present under <see cref="NanPolicy.Throw"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static ConfidenceInterval BootstrapSpearman(
        ReadOnlySpan<double> x,
        ReadOnlySpan<double> y,
        BootstrapOptions? options = null,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
        => Bootstrap(x, y, options ?? BootstrapOptions.Default, RankCorrelation.SpearmanCore, progress, cancellationToken);

    /// <summary>Percentile bootstrap interval for Kendall's τ (resampling pairs with replacement).</summary>
    /// <param name="x">First sample.</param>
    /// <param name="y">Second sample, paired element-wise with <paramref name="x"/>.</param>
    /// <param name="variant">τ-b (default) or τ-c.</param>
    /// <param name="options">Resamples, confidence, seed and NaN policy (default <see cref="BootstrapOptions.Default"/>).</param>
    /// <param name="progress">Receives the number of completed resamples, now and then.</param>
    /// <param name="cancellationToken">Checked between resamples.</param>
    /// <returns>
    /// <see cref="ConfidenceInterval.Estimate"/> is τ of the (NaN-filtered) sample; the bounds are the
    /// (1 − c)/2 and (1 + c)/2 quantiles (linear interpolation, numpy's default) of the resampled statistics.
    /// Resamples whose statistic is undefined (a resample that happens to be constant) are left out of the
    /// quantiles. Everything is NaN when a NaN propagates; the bounds are NaN when fewer than 2 pairs are used
    /// or no resample is defined.
    /// </returns>
    /// <exception cref="ArgumentException">The lengths differ, or a NaN is present under <see cref="NanPolicy.Throw"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="variant"/> is not a defined value.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static ConfidenceInterval BootstrapKendall(
        ReadOnlySpan<double> x,
        ReadOnlySpan<double> y,
        KendallVariant variant = KendallVariant.TauB,
        BootstrapOptions? options = null,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        RankCorrelation.ValidateVariant(variant);
        return Bootstrap(x, y, options ?? BootstrapOptions.Default, (a, b, w) => RankCorrelation.KendallCore(a, b, variant, w), progress, cancellationToken);
    }

    /// <summary>
    /// Fisher z-transform interval: <c>tanh(atanh(ρ) ± z₍₁₊c₎/₂ / sqrt(n − 3))</c>, the normal approximation for a
    /// correlation coefficient from n pairs (exact in the limit for bivariate-normal Pearson r; a common
    /// approximation for Spearman's ρ).
    /// </summary>
    /// <param name="rho">The correlation estimate, in [−1, 1] or NaN.</param>
    /// <param name="n">Number of pairs it was computed from, at least 0.</param>
    /// <param name="confidence">Nominal coverage, strictly between 0 and 1 (default 0.95).</param>
    /// <returns>The interval with <see cref="ConfidenceInterval.Estimate"/> = <paramref name="rho"/>; NaN bounds when
    /// <paramref name="rho"/> is NaN or n ≤ 3; the degenerate interval [ρ, ρ] when |ρ| = 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rho"/> is outside [−1, 1], <paramref name="n"/> is
    /// negative, or <paramref name="confidence"/> is outside (0, 1).</exception>
    public static ConfidenceInterval FisherZ(double rho, int n, double confidence = 0.95)
    {
        if (rho is < -1 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rho), rho, "A correlation must lie in [-1, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ValidateConfidence(confidence);
        if (double.IsNaN(rho) || n <= 3)
        {
            return new ConfidenceInterval(double.NaN, double.NaN, rho, confidence);
        }

        // atanh(±1) = ±∞ and tanh(±∞) = ±1, so |ρ| = 1 yields [ρ, ρ] without a special case.
        var z = Math.Atanh(rho);
        var halfWidth = Normal.InvCDF(0, 1, (1 + confidence) / 2) / Math.Sqrt(n - 3);
        return new ConfidenceInterval(Math.Tanh(z - halfWidth), Math.Tanh(z + halfWidth), rho, confidence);
    }

    private static void ValidateConfidence(double confidence)
    {
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Confidence must lie strictly between 0 and 1.");
        }
    }

    private static ConfidenceInterval Bootstrap(
        ReadOnlySpan<double> x,
        ReadOnlySpan<double> y,
        BootstrapOptions options,
        PairStatistic statistic,
        IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        var pairs = PairedSample.Create(x, y, options.NanPolicy);
        var confidence = options.Confidence;
        if (pairs.PropagatesNaN)
        {
            return new ConfidenceInterval(double.NaN, double.NaN, double.NaN, confidence);
        }

        var n = pairs.Count;
        using var workspace = new CorrelationWorkspace();
        var estimate = statistic(pairs.X, pairs.Y, workspace);
        if (n < 2)
        {
            return new ConfidenceInterval(double.NaN, double.NaN, estimate, confidence);
        }

        var random = new BootstrapRandom(options.Seed);
        var resampledX = new double[n];
        var resampledY = new double[n];
        var replicates = new double[options.Resamples];
        var defined = 0;
        var reportEvery = Math.Max(1, options.Resamples / 100);
        for (var b = 0; b < options.Resamples; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < n; i++)
            {
                var j = random.NextInt(n);
                resampledX[i] = pairs.X[j];
                resampledY[i] = pairs.Y[j];
            }

            var value = statistic(resampledX, resampledY, workspace);
            if (!double.IsNaN(value))
            {
                replicates[defined++] = value;
            }

            if (progress is not null && ((b + 1) % reportEvery == 0 || b + 1 == options.Resamples))
            {
                progress.Report(b + 1);
            }
        }

        if (defined == 0)
        {
            return new ConfidenceInterval(double.NaN, double.NaN, estimate, confidence);
        }

        var sorted = replicates[..defined];
        Array.Sort(sorted);
        var alpha = (1 - confidence) / 2;
        return new ConfidenceInterval(
            SortedArrayStatistics.QuantileCustom(sorted, alpha, QuantileDefinition.R7),
            SortedArrayStatistics.QuantileCustom(sorted, 1 - alpha, QuantileDefinition.R7),
            estimate,
            confidence);
    }
}
