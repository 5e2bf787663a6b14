namespace GradSign.Proxies.Evaluation;

/// <summary>The result of one proxy on one architecture.</summary>
/// <param name="ProxyId">The proxy's id.</param>
/// <param name="Value">The score (NaN when the proxy failed under <see cref="ProxyFailureMode.RecordNaN"/>).</param>
/// <param name="Elapsed">Wall-clock time of the proxy's <see cref="IZeroCostProxy.Compute"/>.</param>
/// <param name="PerLayer">Per scored tensor contributions, when the proxy reports them.</param>
/// <param name="Error">The failure's message, or null.</param>
public sealed record ProxyResult(string ProxyId, double Value, TimeSpan Elapsed, IReadOnlyList<double>? PerLayer = null, string? Error = null)
{
    /// <summary>
    /// For a <see cref="ProxyEnsemble"/> (whose own value is NaN): each member's result, timed as
    /// <see cref="ProxyEnsemble.ComputeMembers"/> times them; otherwise null.
    /// </summary>
    public IReadOnlyList<ProxyResult>? Members { get; init; }
}

/// <summary>Every proxy's result on one architecture.</summary>
/// <param name="Index">Position of the architecture in the input stream.</param>
/// <param name="Key">The architecture's key.</param>
/// <param name="WeightSeed">The seed its weights were initialised with, or null when the input carried fixed weights.</param>
/// <param name="Results">One result per proxy, in the order the proxies were given.</param>
public sealed record ArchitectureScores(int Index, string Key, int? WeightSeed, IReadOnlyList<ProxyResult> Results)
{
    /// <summary>The value of a proxy.</summary>
    /// <param name="proxyId">The proxy's id.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The proxy was not run.</exception>
    public double this[string proxyId]
        => (Results.FirstOrDefault(r => r.ProxyId == proxyId) ?? throw new KeyNotFoundException($"Proxy '{proxyId}' was not run on '{Key}'.")).Value;
}

/// <summary>Progress of a run, reported after every proxy.</summary>
/// <param name="ArchitectureIndex">The architecture's position.</param>
/// <param name="ArchitectureKey">Its key.</param>
/// <param name="ProxyId">The proxy that just finished.</param>
/// <param name="ProxiesDone">Proxies finished on this architecture.</param>
/// <param name="ProxyCount">Proxies per architecture.</param>
/// <param name="ArchitecturesDone">Architectures finished so far (this one counts once all its proxies ran).</param>
/// <param name="Elapsed">Time of this proxy.</param>
public sealed record ProxyProgressInfo(int ArchitectureIndex, string ArchitectureKey, string ProxyId, int ProxiesDone, int ProxyCount, int ArchitecturesDone, TimeSpan Elapsed);
