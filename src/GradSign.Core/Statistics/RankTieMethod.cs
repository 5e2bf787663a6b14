namespace GradSign.Statistics;

/// <summary>How <see cref="RankCorrelation.Rank(ReadOnlySpan{double}, Span{double}, RankTieMethod, NanPolicy)"/> ranks tied values (the names of scipy's <c>rankdata</c> methods).</summary>
/// <remarks>Ranks are 1-based. Example, for values <c>[0, 2, 3, 2]</c>: Average <c>[1, 2.5, 4, 2.5]</c>,
/// Min <c>[1, 2, 4, 2]</c>, Max <c>[1, 3, 4, 3]</c>, Dense <c>[1, 2, 3, 2]</c>, Ordinal <c>[1, 2, 4, 3]</c>.</remarks>
public enum RankTieMethod
{
    /// <summary>Tied values get the mean of the ranks they span (fractional ranks). Used by Spearman's ρ.</summary>
    Average = 0,

    /// <summary>Tied values get the lowest rank they span (competition ranking, "1224").</summary>
    Min = 1,

    /// <summary>Tied values get the highest rank they span ("1334").</summary>
    Max = 2,

    /// <summary>Tied values share a rank and the next distinct value gets the next integer ("1223").</summary>
    Dense = 3,

    /// <summary>Every value gets a distinct rank; ties are ordered by their position in the input ("1234").</summary>
    Ordinal = 4,
}
