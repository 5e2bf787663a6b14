namespace GradSign.Statistics;

/// <summary>How <see cref="RankAggregation"/> combines the rankings of several scores of the same items.</summary>
/// <remarks>Both rank each score ascending with average ranks for ties (scipy's <c>rankdata</c>), so the item with
/// the largest value of a score gets rank n, and a larger aggregate means "ranked higher overall".</remarks>
public enum RankAggregationMethod
{
    /// <summary>The mean of an item's ranks, <c>(1/m) Σ_j rank_j</c>: a Borda count ("vote").</summary>
    MeanRank = 0,

    /// <summary>
    /// The sum of the logarithms of an item's normalised ranks, <c>Σ_j log(rank_j / n)</c> (AZ-NAS, Lee &amp; Ham, CVPR 2024):
    /// a low rank in any one score pulls the aggregate down much more than a high rank in another lifts it.
    /// </summary>
    LogRank = 1,
}
