namespace GradSign.Proxies.Evaluation;

/// <summary>Every proxy's result on one architecture.</summary>
/// <param name="Index">Position of the architecture in the input stream.</param>
/// <param name="Name">The architecture's name.</param>
/// <param name="WeightSeed">The seed its weights were initialised with, or null when the input carried fixed weights.</param>
/// <param name="Results">One score per proxy, in the order the proxies were given, each with the wall time of its
/// <see cref="IZeroCostProxy.Compute"/> in <see cref="ProxyScore.Elapsed"/>.</param>
public sealed record ArchitectureScores(int Index, string Name, ulong? WeightSeed, IReadOnlyList<ProxyScore> Results)
{
    /// <summary>The value of a proxy.</summary>
    /// <param name="proxyId">The proxy's id.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The proxy was not run.</exception>
    public double this[string proxyId]
        => (Results.FirstOrDefault(r => r.ProxyId == proxyId) ?? throw new KeyNotFoundException($"Proxy '{proxyId}' was not run on '{Name}'.")).Value;
}

/// <summary>Progress of a run, reported after every proxy.</summary>
/// <param name="ArchitectureIndex">The architecture's position.</param>
/// <param name="ArchitectureName">Its name.</param>
/// <param name="ProxyId">The proxy that just finished.</param>
/// <param name="ProxiesDone">Proxies finished on this architecture.</param>
/// <param name="ProxyCount">Proxies per architecture.</param>
/// <param name="ArchitecturesDone">Architectures finished so far (this one counts once all its proxies ran).</param>
/// <param name="Elapsed">Time of this proxy.</param>
public sealed record ProxyProgressInfo(int ArchitectureIndex, string ArchitectureName, string ProxyId, int ProxiesDone, int ProxyCount, int ArchitecturesDone, TimeSpan Elapsed);
