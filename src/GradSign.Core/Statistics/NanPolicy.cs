namespace GradSign.Statistics;

/// <summary>How the statistics in <see cref="GradSign.Statistics"/> treat NaN values in their inputs.</summary>
/// <remarks>
/// The names and default follow scipy's <c>nan_policy</c>. Only NaN is affected: positive and negative
/// infinity are ordinary values that rank as the largest and smallest elements.
/// </remarks>
public enum NanPolicy
{
    /// <summary>Any NaN in an input makes the result NaN (scipy's default <c>nan_policy='propagate'</c>).</summary>
    Propagate = 0,

    /// <summary>Pairs in which either value is NaN are dropped before computing (scipy's <c>nan_policy='omit'</c>, pairwise deletion).</summary>
    Omit = 1,

    /// <summary>Any NaN in an input throws an <see cref="ArgumentException"/> naming the argument and the index.</summary>
    Throw = 2,
}
