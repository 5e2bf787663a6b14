namespace GradSign.Statistics;

/// <summary>
/// Ranking-quality measures used to evaluate zero-cost proxies in NAS papers: how many of the architectures a
/// proxy ranks highest are truly among the best, and how good the proxy's single favourite truly is.
/// </summary>
/// <remarks>
/// <para>Higher is better for both inputs (scores and accuracies). Ties are broken by position, earlier first, so
/// results are deterministic; ±∞ are ordinary values (the best or worst).</para>
/// <para>NaN follows the <c>nanPolicy</c> argument as in <see cref="RankCorrelation"/>: under
/// <see cref="NanPolicy.Propagate"/> a NaN makes the result NaN; under <see cref="NanPolicy.Omit"/> incomplete pairs are
/// dropped first (so k refers to the remaining pairs).</para>
/// </remarks>
/// <threadsafety>All members are thread-safe.</threadsafety>
public static class RankingQuality
{
    /// <summary>
    /// Top-k overlap: the fraction of the k highest-<paramref name="predicted"/> items that are also among the k
    /// highest-<paramref name="truth"/> items, <c>|P_k ∩ T_k| / k</c> (equal to precision@k and recall@k here).
    /// </summary>
    /// <param name="predicted">Predicted scores (e.g. proxy values), higher is better.</param>
    /// <param name="truth">True scores (e.g. test accuracies), higher is better, paired element-wise.</param>
    /// <param name="k">How many top items to compare, 1 ≤ k ≤ length.</param>
    /// <param name="nanPolicy">How NaN values are treated (default: propagate).</param>
    /// <returns>A value in [0, 1]; NaN when a NaN propagates or fewer than k pairs remain after omitting NaN.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or a NaN is present under <see cref="NanPolicy.Throw"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is outside [1, length], or <paramref name="nanPolicy"/> is not defined.</exception>
    public static double TopKOverlap(ReadOnlySpan<double> predicted, ReadOnlySpan<double> truth, int k, NanPolicy nanPolicy = NanPolicy.Propagate)
        => PrecisionAtK(predicted, truth, k, k, nanPolicy);

    /// <summary>
    /// Precision@k: the fraction of the k highest-<paramref name="predicted"/> items whose true score is among the
    /// <paramref name="relevant"/> best, <c>|P_k ∩ T_relevant| / k</c> (e.g. "top-10% of the proxy in the true top-10%",
    /// or "top-64 of the proxy in the true top-5%").
    /// </summary>
    /// <param name="predicted">Predicted scores, higher is better.</param>
    /// <param name="truth">True scores, higher is better, paired element-wise.</param>
    /// <param name="k">How many top predicted items to inspect, 1 ≤ k ≤ length.</param>
    /// <param name="relevant">How many truly best items count as relevant, 1 ≤ relevant ≤ length.</param>
    /// <param name="nanPolicy">How NaN values are treated (default: propagate).</param>
    /// <returns>A value in [0, 1]; NaN when a NaN propagates or fewer than <c>max(k, relevant)</c> pairs remain after omitting NaN.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or a NaN is present under <see cref="NanPolicy.Throw"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> or <paramref name="relevant"/> is outside [1, length], or <paramref name="nanPolicy"/> is not defined.</exception>
    public static double PrecisionAtK(ReadOnlySpan<double> predicted, ReadOnlySpan<double> truth, int k, int relevant, NanPolicy nanPolicy = NanPolicy.Propagate)
    {
        var pairs = PairedSample.Create(predicted, truth, nanPolicy, nameof(predicted), nameof(truth));
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, predicted.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(relevant, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(relevant, predicted.Length);
        if (pairs.PropagatesNaN || pairs.Count < Math.Max(k, relevant))
        {
            return double.NaN;
        }

        var isRelevant = new bool[pairs.Count];
        foreach (var i in TopIndices(pairs.Y, relevant))
        {
            isRelevant[i] = true;
        }

        var hits = 0;
        foreach (var i in TopIndices(pairs.X, k))
        {
            hits += isRelevant[i] ? 1 : 0;
        }

        return (double)hits / k;
    }

    /// <summary>
    /// The true rank of the item the prediction likes best: 1 + the number of items with a strictly higher
    /// true score than the highest-<paramref name="predicted"/> item (1 = the proxy picked a truly best item).
    /// </summary>
    /// <param name="predicted">Predicted scores, higher is better; ties for the maximum go to the earliest item.</param>
    /// <param name="truth">True scores, higher is better, paired element-wise.</param>
    /// <param name="nanPolicy">How NaN values are treated (default: propagate).</param>
    /// <returns>A rank in [1, n] (competition ranking: true ties share the better rank); NaN when a NaN propagates
    /// or no pair remains.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or a NaN is present under <see cref="NanPolicy.Throw"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nanPolicy"/> is not a defined value.</exception>
    public static double TrueRankOfPredictedBest(ReadOnlySpan<double> predicted, ReadOnlySpan<double> truth, NanPolicy nanPolicy = NanPolicy.Propagate)
    {
        var pairs = PairedSample.Create(predicted, truth, nanPolicy, nameof(predicted), nameof(truth));
        if (pairs.PropagatesNaN || pairs.Count == 0)
        {
            return double.NaN;
        }

        var best = 0;
        for (var i = 1; i < pairs.Count; i++)
        {
            if (pairs.X[i] > pairs.X[best])
            {
                best = i;
            }
        }

        var better = 0;
        foreach (var t in pairs.Y)
        {
            better += t > pairs.Y[best] ? 1 : 0;
        }

        return better + 1;
    }

    /// <summary>Indices of the <paramref name="count"/> largest values (ties: earlier index first).</summary>
    private static int[] TopIndices(ReadOnlySpan<double> values, int count)
    {
        var order = new int[values.Length];
        Ranker.FillIdentity(order);
        var copy = values.ToArray();
        Array.Sort(order, (a, b) =>
        {
            var c = copy[b].CompareTo(copy[a]);
            return c != 0 ? c : a.CompareTo(b);
        });
        return order[..count];
    }
}
