using GradSign.Backends;
using GradSign.Proxies;
using Microsoft.Extensions.Logging;

namespace GradSign.Benchmarks.Studies;

/// <summary>
/// Builds the scorer of <c>gradsign correlate</c>: NAS-Bench-201 network → backend → built-in proxies via
/// <see cref="ProxyCellScorer"/>, batches from the dataset's training split.
/// PENDING: needs <c>GradSign.SearchSpaces.NasBench201.NasBench201Network</c> (branch networks) and
/// <c>GradSign.Backends.Managed.ManagedBackend</c> (branch executor), not merged into main yet; until then creating
/// the scorer fails with a clear message.
/// </summary>
internal static class StudyScorers
{
    /// <summary>Ids of every built-in proxy, in the registry's order.</summary>
    public static IReadOnlyList<string> AllProxyIds() => ProxyRegistry.CreateDefault().Ids;

    /// <summary>The backend the CLI scores with (the managed backend, once merged).</summary>
    public static ITensorBackend DefaultBackend()
        => throw new NotSupportedException("Scoring needs the managed backend (GradSign.Backends.Managed.ManagedBackend, branch 'executor'), which has not been merged into main yet.");

    /// <summary>Creates the scorer for a study.</summary>
    /// <param name="settings">The study.</param>
    /// <param name="backend">Backend to compile networks with.</param>
    /// <param name="logger">Logger.</param>
    /// <returns>The scorer.</returns>
    public static ICellScorer Create(CorrelateSettings settings, ITensorBackend backend, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(logger);
        throw new NotSupportedException("Scoring needs the NB201 network builder (GradSign.SearchSpaces.NasBench201, branch 'networks'), which has not been merged into main yet.");
    }
}
