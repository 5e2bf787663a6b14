namespace GradSign.Proxies;

/// <summary>
/// Ids of the built-in proxies (lower-case, stable; used in result files and on the command line). The reference
/// Python names differ for some: <c>grad_conflict</c> is <see cref="GradSign"/>, <c>hook_logdet</c>/<c>nwot</c> is
/// <see cref="Naswot"/>; see <c>docs/proxies.md</c>.
/// </summary>
public static class ProxyIds
{
    /// <summary>GradSign (JackFram/GradSign <c>grad_conflict</c>).</summary>
    public const string GradSign = "gradsign";

    /// <summary>GradSign with <see cref="GradSignAggregation.Mean"/> (zero-cost-nas-code <c>gradsign.py</c>'s <c>np.nanmean</c>); not in <see cref="ProxyRegistry.CreateDefault"/>.</summary>
    public const string GradSignMean = "gradsign_mean";

    /// <summary>SynFlow (zero-cost-nas <c>synflow</c>).</summary>
    public const string SynFlow = "synflow";

    /// <summary>GraSP (zero-cost-nas <c>grasp</c>).</summary>
    public const string Grasp = "grasp";

    /// <summary>SNIP (zero-cost-nas <c>snip</c>).</summary>
    public const string Snip = "snip";

    /// <summary>NASWOT (BayesWatch <c>hook_logdet</c>; NASLib <c>nwot</c>).</summary>
    public const string Naswot = "naswot";

    /// <summary>Gradient norm (zero-cost-nas <c>grad_norm</c>).</summary>
    public const string GradNorm = "grad_norm";

    /// <summary>Fisher (zero-cost-nas <c>fisher</c>).</summary>
    public const string Fisher = "fisher";

    /// <summary>Jacobian covariance (zero-cost-nas <c>jacob_cov</c>; NASLib <c>jacov</c>).</summary>
    public const string JacobCov = "jacob_cov";

    /// <summary>Parameter count.</summary>
    public const string Params = "params";

    /// <summary>Multiply-accumulates per sample.</summary>
    public const string Flops = "flops";

    /// <summary>ZiCo (SLDGroup/ZiCo <c>compute_zico</c>).</summary>
    public const string Zico = "zico";

    /// <summary>Zen-score (idstcv/ZenNAS <c>compute_zen_score</c>; NASLib <c>zen</c>).</summary>
    public const string Zen = "zen";

    /// <summary>Mean-rank ensemble of synflow, jacob_cov and snip (zero-cost-nas's "vote" members; <see cref="ProxyEnsemble.Vote"/>).</summary>
    public const string Vote = "vote";

    /// <summary>AZ-NAS's Σ log(rank/n) over the vote members (<see cref="ProxyEnsemble.LogRankVote"/>).</summary>
    public const string LogRank = "logrank";
}
