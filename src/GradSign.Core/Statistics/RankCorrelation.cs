namespace GradSign.Statistics;

/// <summary>
/// Rank and linear correlation of paired samples: Spearman's ρ, Kendall's τ-b/τ-c (O(n log n)), Pearson's r,
/// and ranking with tie handling. Results match <c>scipy.stats</c> (1.10) to about 1e-15.
/// </summary>
/// <remarks>
/// <para>Common semantics of the correlation methods:</para>
/// <list type="bullet">
/// <item><description>NaN is handled by a <see cref="NanPolicy"/>; the default <see cref="NanPolicy.Propagate"/> returns NaN
/// when any value is NaN (unlike MathNet.Numerics, which silently ranks NaN lowest).</description></item>
/// <item><description>±∞ are ordinary values for the rank statistics (they rank as the extremes); Pearson's r of data
/// containing ±∞ is NaN.</description></item>
/// <item><description>Fewer than 2 usable pairs, or a constant input, gives NaN (the correlation is undefined).</description></item>
/// <item><description>Inputs of different lengths throw <see cref="ArgumentException"/> naming <c>y</c>.</description></item>
/// <item><description>Results are clipped to [−1, 1] against rounding.</description></item>
/// </list>
/// </remarks>
/// <threadsafety>All members are thread-safe: they allocate their own scratch space.</threadsafety>
public static class RankCorrelation
{
    /// <summary>Spearman's rank correlation ρ: Pearson's r of the average (fractional) ranks of x and y.</summary>
    /// <param name="x">First sample.</param>
    /// <param name="y">Second sample, paired element-wise with <paramref name="x"/>.</param>
    /// <param name="nanPolicy">How NaN values are treated (default: propagate, as scipy).</param>
    /// <returns>ρ in [−1, 1]; NaN when a NaN propagates, fewer than 2 pairs are used, or either input is constant.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or a NaN is present under <see cref="NanPolicy.Throw"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nanPolicy"/> is not a defined value.</exception>
    public static double Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y, NanPolicy nanPolicy = NanPolicy.Propagate)
    {
        var pairs = PairedSample.Create(x, y, nanPolicy);
        if (pairs.PropagatesNaN)
        {
            return double.NaN;
        }

        using var workspace = new CorrelationWorkspace();
        return SpearmanCore(pairs.X, pairs.Y, workspace);
    }

    /// <summary>Kendall's rank correlation τ with tie corrections, in O(n log n) time.</summary>
    /// <param name="x">First sample.</param>
    /// <param name="y">Second sample, paired element-wise with <paramref name="x"/>.</param>
    /// <param name="variant">τ-b (default, as scipy) or τ-c.</param>
    /// <param name="nanPolicy">How NaN values are treated (default: propagate, as scipy).</param>
    /// <returns>τ in [−1, 1]; NaN when a NaN propagates, fewer than 2 pairs are used, or either input is constant.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or a NaN is present under <see cref="NanPolicy.Throw"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="variant"/> or <paramref name="nanPolicy"/> is not a defined value.</exception>
    public static double KendallTau(ReadOnlySpan<double> x, ReadOnlySpan<double> y, KendallVariant variant = KendallVariant.TauB, NanPolicy nanPolicy = NanPolicy.Propagate)
    {
        ValidateVariant(variant);
        var pairs = PairedSample.Create(x, y, nanPolicy);
        if (pairs.PropagatesNaN)
        {
            return double.NaN;
        }

        using var workspace = new CorrelationWorkspace();
        return KendallCore(pairs.X, pairs.Y, variant, workspace);
    }

    /// <summary>Pearson's product-moment correlation r (two-pass: centre, then normalised dot product).</summary>
    /// <param name="x">First sample.</param>
    /// <param name="y">Second sample, paired element-wise with <paramref name="x"/>.</param>
    /// <param name="nanPolicy">How NaN values are treated (default: propagate, as scipy).</param>
    /// <returns>r in [−1, 1]; NaN when a NaN propagates, fewer than 2 pairs are used, either input is constant,
    /// or a used value is ±∞.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or a NaN is present under <see cref="NanPolicy.Throw"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nanPolicy"/> is not a defined value.</exception>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y, NanPolicy nanPolicy = NanPolicy.Propagate)
    {
        var pairs = PairedSample.Create(x, y, nanPolicy);
        if (pairs.PropagatesNaN)
        {
            return double.NaN;
        }

        using var workspace = new CorrelationWorkspace();
        return PearsonCore.Compute(pairs.X, pairs.Y, workspace.CentredX(pairs.Count), workspace.CentredY(pairs.Count));
    }

    /// <summary>Writes the 1-based ranks of <paramref name="values"/> to <paramref name="ranks"/>.</summary>
    /// <param name="values">Values to rank; ±∞ rank as the smallest and largest. −0.0 and +0.0 are tied.</param>
    /// <param name="ranks">Destination, at least as long as <paramref name="values"/>; only the first
    /// <c>values.Length</c> elements are written. May be the same memory as <paramref name="values"/>.</param>
    /// <param name="ties">How tied values are ranked (default: average ranks, as Spearman's ρ uses).</param>
    /// <param name="nanPolicy">With <see cref="NanPolicy.Propagate"/> (default) any NaN makes every rank NaN; with
    /// <see cref="NanPolicy.Omit"/> NaN entries get rank NaN and the others are ranked among themselves (scipy's
    /// <c>rankdata</c> semantics).</param>
    /// <exception cref="ArgumentException"><paramref name="ranks"/> is shorter than <paramref name="values"/>, or a NaN is
    /// present under <see cref="NanPolicy.Throw"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ties"/> or <paramref name="nanPolicy"/> is not a defined value.</exception>
    public static void Rank(ReadOnlySpan<double> values, Span<double> ranks, RankTieMethod ties = RankTieMethod.Average, NanPolicy nanPolicy = NanPolicy.Propagate)
    {
        if (ties is < RankTieMethod.Average or > RankTieMethod.Ordinal)
        {
            throw new ArgumentOutOfRangeException(nameof(ties), ties, "Unknown RankTieMethod.");
        }

        PairedSample.ValidatePolicy(nanPolicy);
        if (ranks.Length < values.Length)
        {
            throw new ArgumentException($"ranks has {ranks.Length} elements but values has {values.Length}.", nameof(ranks));
        }

        var firstNaN = IndexOfNaN(values);
        if (firstNaN < 0)
        {
            using var workspace = new CorrelationWorkspace();
            Ranker.Rank(values, ranks[..values.Length], ties, workspace);
            return;
        }

        switch (nanPolicy)
        {
            case NanPolicy.Throw:
                throw new ArgumentException($"values[{firstNaN}] is NaN (NanPolicy.Throw).", nameof(values));
            case NanPolicy.Propagate:
                ranks[..values.Length].Fill(double.NaN);
                return;
            default:
                RankOmittingNaN(values, ranks, ties);
                return;
        }
    }

    /// <summary>Returns the 1-based ranks of <paramref name="values"/> in a new array.</summary>
    /// <param name="values">Values to rank; ±∞ rank as the smallest and largest.</param>
    /// <param name="ties">How tied values are ranked (default: average ranks).</param>
    /// <param name="nanPolicy">NaN handling as in <see cref="Rank(ReadOnlySpan{double}, Span{double}, RankTieMethod, NanPolicy)"/>.</param>
    /// <returns>The ranks, one per value.</returns>
    /// <exception cref="ArgumentException">A NaN is present under <see cref="NanPolicy.Throw"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ties"/> or <paramref name="nanPolicy"/> is not a defined value.</exception>
    public static double[] Rank(ReadOnlySpan<double> values, RankTieMethod ties = RankTieMethod.Average, NanPolicy nanPolicy = NanPolicy.Propagate)
    {
        var ranks = new double[values.Length];
        Rank(values, ranks, ties, nanPolicy);
        return ranks;
    }

    /// <summary>Spearman's ρ of NaN-free pairs.</summary>
    internal static double SpearmanCore(ReadOnlySpan<double> x, ReadOnlySpan<double> y, CorrelationWorkspace workspace)
    {
        var n = x.Length;
        if (n < 2)
        {
            return double.NaN;
        }

        var rankX = workspace.First(n);
        var rankY = workspace.Second(n);
        Ranker.Rank(x, rankX, RankTieMethod.Average, workspace);
        Ranker.Rank(y, rankY, RankTieMethod.Average, workspace);
        return PearsonCore.Compute(rankX, rankY, workspace.CentredX(n), workspace.CentredY(n));
    }

    /// <summary>Kendall's τ of NaN-free pairs.</summary>
    internal static double KendallCore(ReadOnlySpan<double> x, ReadOnlySpan<double> y, KendallVariant variant, CorrelationWorkspace workspace)
        => x.Length < 2 ? double.NaN : KendallCounter.Count(x, y, workspace).Tau(variant);

    /// <summary>Throws when <paramref name="variant"/> is not a defined <see cref="KendallVariant"/>.</summary>
    internal static void ValidateVariant(KendallVariant variant)
    {
        if (variant is not (KendallVariant.TauB or KendallVariant.TauC))
        {
            throw new ArgumentOutOfRangeException(nameof(variant), variant, "Unknown KendallVariant.");
        }
    }

    private static int IndexOfNaN(ReadOnlySpan<double> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static void RankOmittingNaN(ReadOnlySpan<double> values, Span<double> ranks, RankTieMethod ties)
    {
        // Rank the finite-or-infinite values compactly, then scatter back; NaN positions get NaN.
        var kept = new List<int>(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsNaN(values[i]))
            {
                kept.Add(i);
            }
        }

        var compact = new double[kept.Count];
        for (var k = 0; k < compact.Length; k++)
        {
            compact[k] = values[kept[k]];
        }

        var compactRanks = new double[compact.Length];
        using (var workspace = new CorrelationWorkspace())
        {
            Ranker.Rank(compact, compactRanks, ties, workspace);
        }

        ranks[..values.Length].Fill(double.NaN);
        for (var k = 0; k < compact.Length; k++)
        {
            ranks[kept[k]] = compactRanks[k];
        }
    }
}
