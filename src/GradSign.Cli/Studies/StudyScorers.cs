using GradSign.Backends;
using GradSign.Data;
using GradSign.Proxies;
using GradSign.SearchSpaces.NasBench201;
using Microsoft.Extensions.Logging;

namespace GradSign.Cli.Studies;

/// <summary>
/// Builds the scorer of <c>gradsign correlate</c>: NAS-Bench-201 network (<see cref="NasBench201Network"/>) →
/// backend → built-in proxies (<see cref="ProxyRegistry"/>) via <see cref="ProxyCellScorer"/>, batches from the
/// dataset's training split (<see cref="BatchSampler"/>).
/// </summary>
internal static class StudyScorers
{
    /// <summary>Ids of every built-in proxy, in the registry's order.</summary>
    public static IReadOnlyList<string> AllProxyIds() => ProxyRegistry.CreateDefault().Ids;

    /// <summary>The backend the CLI scores with: the managed SIMD CPU backend.</summary>
    public static ITensorBackend DefaultBackend() => new GradSign.Backends.Managed.ManagedBackend();

    /// <summary>Creates the scorer for a study.</summary>
    /// <param name="settings">The study.</param>
    /// <param name="backend">Backend to compile networks with.</param>
    /// <param name="logger">Logger.</param>
    /// <returns>The scorer.</returns>
    /// <exception cref="KeyNotFoundException">An unknown proxy id (the known ones are listed).</exception>
    public static ICellScorer Create(CorrelateSettings settings, ITensorBackend backend, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(logger);
        var proxies = ProxyRegistry.CreateDefault().Resolve(string.Join(",", settings.Proxies));
        var train = ImageDatasets.Load(settings.DataFolder, settings.Dataset, DatasetSplit.Train, logger);
        var sampler = new BatchSampler(train, settings.Dataset, new BatchOptions(settings.Pipeline, settings.BatchSize, settings.Seed));
        var network = settings.NetworkOptions();
        network.Validate();
        var context = new ProxyContext(backend) { MaxDegreeOfParallelism = settings.MaxDegreeOfParallelism };
        return new ProxyCellScorer(proxies, context, arch => NasBench201Network.Build(arch, network), sampler, settings.Seed, logger);
    }
}
