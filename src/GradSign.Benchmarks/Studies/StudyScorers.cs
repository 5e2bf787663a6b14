using Microsoft.Extensions.Logging;

namespace GradSign.Benchmarks.Studies;

/// <summary>
/// Builds the real scorer of <c>gradsign correlate</c>: NB201 network (GradSign.SearchSpaces.NasBench201) → managed
/// backend (GradSign.Backends.Managed.ManagedBackend) → proxies (GradSign.Proxies, ProxyRunner).
/// PENDING: those branches have not been merged into main yet; until they are, creating the scorer fails clearly.
/// </summary>
internal static class StudyScorers
{
    /// <summary>Ids of every built-in proxy, in the registry's order.</summary>
    public static IReadOnlyList<string> AllProxyIds() => GradSign.Proxies.ProxyRegistry.CreateDefault().Ids;

    /// <summary>Creates the scorer for a study.</summary>
    public static ICellScorer Create(CorrelateSettings settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        throw new NotSupportedException("Scoring needs the NB201 builder, the managed backend and the proxy runner (branches networks/executor/proxies), not merged yet.");
    }
}
