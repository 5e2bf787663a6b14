namespace GradSign.Statistics;

/// <summary>
/// Pair counts behind Kendall's τ for n NaN-free pairs. With <c>n₀ = n(n−1)/2</c>:
/// <c>C − D = n₀ − n₁ − n₂ + n₃ − 2D</c>, where n₁/n₂ are the pairs tied in x/y and n₃ the pairs tied in both.
/// </summary>
internal readonly record struct KendallCounts(long N, long XTies, long YTies, long JointTies, long Discordant, int DistinctX, int DistinctY)
{
    /// <summary>All pairs, n(n−1)/2.</summary>
    public long TotalPairs => N * (N - 1) / 2;

    /// <summary>Concordant minus discordant pairs.</summary>
    public long ConcordantMinusDiscordant => TotalPairs - XTies - YTies + JointTies - (2 * Discordant);

    /// <summary>τ-b or τ-c, clipped to [−1, 1]; NaN for fewer than 2 pairs or a constant input (as scipy).</summary>
    public double Tau(KendallVariant variant)
    {
        var total = TotalPairs;
        if (N < 2 || XTies == total || YTies == total)
        {
            return double.NaN;
        }

        double tau;
        if (variant == KendallVariant.TauB)
        {
            // Same operation order as scipy.stats.kendalltau, so that results agree to the last bits.
            tau = ConcordantMinusDiscordant / Math.Sqrt(total - XTies) / Math.Sqrt(total - YTies);
        }
        else
        {
            var m = Math.Min(DistinctX, DistinctY);
            tau = 2.0 * ConcordantMinusDiscordant / ((double)N * N * (m - 1) / m);
        }

        return Math.Clamp(tau, -1.0, 1.0);
    }
}
