using GradSign.Backends;

namespace GradSign.Proxies;

/// <summary>Options of <see cref="SynFlowProxy"/>. Immutable.</summary>
public sealed record SynFlowOptions
{
    /// <summary>zero-cost-nas: reduction-block BatchNorms kept, raw sum.</summary>
    public static SynFlowOptions Default { get; } = new();

    /// <summary>NASLib: every BatchNorm removed, log-scaled output.</summary>
    public static SynFlowOptions NasLib { get; } = new() { BatchNormMode = BatchNormMode.RemoveAll, LogScaled = true };

    /// <summary>
    /// Which BatchNorms run. <see cref="BatchNormMode.RemoveRemovable"/> (default) is zero-cost-nas's
    /// <c>get_prunable_copy(bn=False)</c>, which keeps the NAS-Bench-201 reduction blocks' BatchNorms;
    /// <see cref="BatchNormMode.RemoveAll"/> is NASLib's; <see cref="BatchNormMode.KeepAll"/> is <c>synflow_bn</c>.
    /// </summary>
    public BatchNormMode BatchNormMode { get; init; } = BatchNormMode.RemoveRemovable;

    /// <summary>
    /// NASLib's post-processing (<c>predictors/zerocost.py:40-47</c>): NaN/±∞ → −1e8, then <c>log(s)</c> for s &gt; 0,
    /// <c>−log(−s)</c> for s &lt; 0, 0 kept. Off by default (zero-cost-nas reports the raw sum).
    /// </summary>
    public bool LogScaled { get; init; }
}
