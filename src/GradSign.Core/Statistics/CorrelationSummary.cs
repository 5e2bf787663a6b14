namespace GradSign.Statistics;

/// <summary>The usual correlation report for a pair of samples: pairs used, Spearman's ρ, Kendall's τ-b and Pearson's r.</summary>
/// <param name="N">Pairs used: all pairs, or under <see cref="NanPolicy.Omit"/> the pairs without NaN.</param>
/// <param name="Spearman">Spearman's ρ (see <see cref="RankCorrelation.Spearman"/>).</param>
/// <param name="KendallTauB">Kendall's τ-b (see <see cref="RankCorrelation.KendallTau"/>).</param>
/// <param name="Pearson">Pearson's r (see <see cref="RankCorrelation.Pearson"/>).</param>
public sealed record CorrelationSummary(int N, double Spearman, double KendallTauB, double Pearson)
{
    /// <summary>Computes all three coefficients with one validation and NaN filtering pass.</summary>
    /// <param name="x">First sample (e.g. proxy scores).</param>
    /// <param name="y">Second sample (e.g. accuracies), paired element-wise with <paramref name="x"/>.</param>
    /// <param name="nanPolicy">How NaN values are treated (default: propagate, as scipy).</param>
    /// <returns>The summary; coefficients are NaN under the same conditions as the individual methods
    /// (a propagated NaN, fewer than 2 pairs, a constant input; ±∞ for Pearson).</returns>
    /// <exception cref="ArgumentException">The lengths differ, or a NaN is present under <see cref="NanPolicy.Throw"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nanPolicy"/> is not a defined value.</exception>
    public static CorrelationSummary Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> y, NanPolicy nanPolicy = NanPolicy.Propagate)
    {
        var pairs = PairedSample.Create(x, y, nanPolicy);
        if (pairs.PropagatesNaN)
        {
            return new CorrelationSummary(pairs.Count, double.NaN, double.NaN, double.NaN);
        }

        var n = pairs.Count;
        using var workspace = new CorrelationWorkspace();
        return new CorrelationSummary(
            n,
            RankCorrelation.SpearmanCore(pairs.X, pairs.Y, workspace),
            RankCorrelation.KendallCore(pairs.X, pairs.Y, KendallVariant.TauB, workspace),
            PearsonCore.Compute(pairs.X, pairs.Y, workspace.CentredX(n), workspace.CentredY(n)));
    }
}
