using GradSign.Statistics;

namespace GradSign.Cli.Studies;

/// <summary>
/// The statistics of the study summary, all from <see cref="GradSign.Statistics"/>, with NaN pairs omitted (scipy's
/// <c>nan_policy='omit'</c>, as zero-cost-nas's notebooks use).
/// </summary>
internal static class StudyStatistics
{
    /// <summary>Spearman ρ of the NaN-free pairs.</summary>
    public static double Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => RankCorrelation.Spearman(x, y, NanPolicy.Omit);

    /// <summary>Kendall τ-b of the NaN-free pairs.</summary>
    public static double Kendall(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => RankCorrelation.KendallTau(x, y, KendallVariant.TauB, NanPolicy.Omit);

    /// <summary>Percentile-bootstrap interval of ρ (NaN bounds when <paramref name="resamples"/> is 0).</summary>
    public static (double Lo, double Hi) SpearmanInterval(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int resamples, ulong seed, CancellationToken cancellationToken)
        => resamples == 0 ? (double.NaN, double.NaN) : Bounds(ConfidenceIntervals.BootstrapSpearman(x, y, Options(resamples, seed), null, cancellationToken));

    /// <summary>Percentile-bootstrap interval of τ-b (NaN bounds when <paramref name="resamples"/> is 0).</summary>
    public static (double Lo, double Hi) KendallInterval(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int resamples, ulong seed, CancellationToken cancellationToken)
        => resamples == 0 ? (double.NaN, double.NaN) : Bounds(ConfidenceIntervals.BootstrapKendall(x, y, KendallVariant.TauB, Options(resamples, seed), null, cancellationToken));

    private static BootstrapOptions Options(int resamples, ulong seed) => new() { Resamples = resamples, Seed = seed, NanPolicy = NanPolicy.Omit, Confidence = 0.95 };

    private static (double Lo, double Hi) Bounds(ConfidenceInterval interval) => (interval.Lower, interval.Upper);
}
