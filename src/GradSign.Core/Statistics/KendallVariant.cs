namespace GradSign.Statistics;

/// <summary>Which tie-corrected Kendall rank correlation <see cref="RankCorrelation.KendallTau"/> computes.</summary>
public enum KendallVariant
{
    /// <summary>
    /// Kendall's τ-b: <c>(C − D) / sqrt((n₀ − n₁)(n₀ − n₂))</c> with <c>n₀ = n(n−1)/2</c> and <c>n₁</c>, <c>n₂</c>
    /// the pairs tied in x and in y. Equals 1 for identical orderings even with ties. scipy's default.
    /// </summary>
    TauB = 0,

    /// <summary>
    /// Stuart's τ-c: <c>2(C − D) / (n² (m − 1) / m)</c> with <c>m</c> the smaller number of distinct values in x
    /// and y. Suited to rectangular contingency tables.
    /// </summary>
    TauC = 1,
}
