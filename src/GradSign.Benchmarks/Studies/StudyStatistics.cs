namespace GradSign.Benchmarks.Studies;

/// <summary>
/// The statistics the summary needs, in one place. PENDING: delegates to <c>GradSign.Statistics</c> (branch <c>stats</c>)
/// once it lands; until then these throw.
/// </summary>
internal static class StudyStatistics
{
    /// <summary>Spearman ρ (average ranks for ties); NaN when fewer than 2 pairs or a constant input.</summary>
    public static double Spearman(double[] x, double[] y)
        => throw new NotSupportedException("Spearman needs GradSign.Statistics (branch 'stats'), which has not been merged yet.");

    /// <summary>Kendall τ-b; NaN when fewer than 2 pairs or a constant input.</summary>
    public static double Kendall(double[] x, double[] y)
        => throw new NotSupportedException("Kendall needs GradSign.Statistics (branch 'stats'), which has not been merged yet.");

    /// <summary>Linear-interpolation quantile of sorted values (numpy's default).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + ((position - lo) * (sorted[hi] - sorted[lo]));
    }
}
