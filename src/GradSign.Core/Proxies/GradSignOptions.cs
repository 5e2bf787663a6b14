namespace GradSign.Proxies;

/// <summary>How GradSign aggregates the per-weight vote sums |Σ_i sign(g_ik)|.</summary>
public enum GradSignAggregation
{
    /// <summary>Σ_k over non-NaN weights: the paper's formula and <c>grad_conflict.py</c>'s <c>np.nansum</c> (default).</summary>
    Sum,

    /// <summary>
    /// Mean over non-NaN weights (<c>np.nanmean</c>, <c>zero-cost-nas-code/gradsign.py</c>; the GS NAS runs' <c>mean</c>
    /// files), counting the weights the reference network instantiates but never executes
    /// (<see cref="Networks.NetworkSpec.UnexecutedScoredElements"/>: zero-cost-nas's NAS-Bench-201 model holds every
    /// candidate op, so there the mean ranks exactly as <see cref="Sum"/>). Ranks differently from <see cref="Sum"/> when
    /// the reference networks' parameter counts differ (AutoDL's <c>TinyNetwork</c>, NAS-Bench-101).
    /// </summary>
    Mean,
}

/// <summary>Options of <see cref="GradSignProxy"/>. Immutable.</summary>
public sealed record GradSignOptions
{
    /// <summary>The reference configuration: <see cref="GradSignAggregation.Sum"/>.</summary>
    public static GradSignOptions Default { get; } = new();

    /// <summary>How vote sums are aggregated.</summary>
    public GradSignAggregation Aggregation { get; init; } = GradSignAggregation.Sum;
}
