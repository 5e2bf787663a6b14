namespace GradSign.Benchmarks.Studies;

/// <summary>
/// The statistics of the study summary. PENDING: these delegate to <c>GradSign.Statistics</c> (branch <c>stats</c>:
/// <c>RankCorrelation.Spearman/KendallTau</c> and <c>ConfidenceIntervals.BootstrapSpearman/BootstrapKendall</c> with
/// <c>NanPolicy.Omit</c>) once it is merged into main; until then they throw.
/// </summary>
internal static class StudyStatistics
{
    private const string Missing = "The study summary needs GradSign.Statistics (branch 'stats'), which has not been merged into main yet.";

    /// <summary>Spearman ρ of the NaN-free pairs.</summary>
    public static double Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => throw new NotSupportedException(Missing);

    /// <summary>Kendall τ-b of the NaN-free pairs.</summary>
    public static double Kendall(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => throw new NotSupportedException(Missing);

    /// <summary>Percentile-bootstrap interval of ρ (NaN bounds when <paramref name="resamples"/> is 0).</summary>
    public static (double Lo, double Hi) SpearmanInterval(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int resamples, ulong seed, CancellationToken cancellationToken)
        => throw new NotSupportedException(Missing);

    /// <summary>Percentile-bootstrap interval of τ-b (NaN bounds when <paramref name="resamples"/> is 0).</summary>
    public static (double Lo, double Hi) KendallInterval(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int resamples, ulong seed, CancellationToken cancellationToken)
        => throw new NotSupportedException(Missing);
}
