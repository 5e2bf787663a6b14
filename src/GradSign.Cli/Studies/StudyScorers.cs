using GradSign.Backends;
using GradSign.Data;
using GradSign.Proxies;
using GradSign.SearchSpaces.NasBench101;
using GradSign.SearchSpaces.NasBench201;
using Microsoft.Extensions.Logging;

namespace GradSign.Cli.Studies;

/// <summary>
/// Builds the scorer of <c>gradsign correlate</c>: NAS-Bench-201 or NAS-Bench-101 network (<see cref="NasBench201Network"/>,
/// <see cref="NasBench101Network"/>) →
/// backend → built-in proxies (<see cref="ProxyRegistry"/>) via <see cref="ProxyCellScorer"/>, batches from the
/// dataset's training split (<see cref="BatchSampler"/>).
/// </summary>
internal static class StudyScorers
{
    /// <summary>Ids of every built-in proxy, in the registry's order, then the ensembles (which add no work: their members are columns already).</summary>
    public static IReadOnlyList<string> AllProxyIds()
    {
        var registry = ProxyRegistry.CreateDefault();
        return [.. registry.Ids, .. registry.EnsembleIds];
    }

    /// <summary>The ensembles among a study's proxies, in the order given (their lines follow the single proxies' in the summary).</summary>
    /// <param name="proxyIds">The requested ids.</param>
    /// <returns>The ensembles.</returns>
    public static IReadOnlyList<ProxyEnsemble> Ensembles(IReadOnlyList<string> proxyIds)
        => [.. Commands.CliProxies.Create().Resolve(string.Join(",", proxyIds)).OfType<ProxyEnsemble>()];

    /// <summary>
    /// What the scorer runs for the requested proxies: every single proxy, then for each ensemble only its members that
    /// are not columns already, as a smaller ensemble (so they share passes). The result file's columns are the single
    /// proxies and those members; an ensemble has no column of its own (its score needs the whole population).
    /// </summary>
    /// <param name="requested">The requested proxies.</param>
    /// <returns>The proxies to run, in column order.</returns>
    public static IReadOnlyList<IZeroCostProxy> ToRun(IReadOnlyList<IZeroCostProxy> requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var run = requested.Where(p => p is not ProxyEnsemble).ToList();
        var columns = run.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var ensemble in requested.OfType<ProxyEnsemble>())
        {
            var missing = ensemble.Members.Where(m => columns.Add(m.Id)).ToList();
            if (missing.Count > 0)
            {
                run.Add(new ProxyEnsemble(ensemble.Id, ensemble.Aggregation, missing));
            }
        }

        return run;
    }

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
        var proxies = ToRun(Commands.CliProxies.Create().Resolve(string.Join(",", settings.Proxies)));
        var train = ImageDatasets.Load(settings.DataFolder, settings.Dataset, DatasetSplit.Train, logger);
        var sampler = new BatchSampler(train, settings.Dataset, new BatchOptions(settings.Pipeline, settings.BatchSize, settings.Seed));
        var context = new ProxyContext(backend) { MaxDegreeOfParallelism = settings.MaxDegreeOfParallelism };
        if (settings.Space == StudySpace.Nb101)
        {
            var nb101 = settings.Nb101NetworkOptions();
            nb101.Validate();
            // The arch column holds the pruned spec's JSON; its canonical form names the cell's draws.
            return new ProxyCellScorer(proxies, context, arch => ModelSpec.ParseJson(arch).ToJson(), arch => NasBench101Network.Build(ModelSpec.ParseJson(arch), nb101), sampler, settings.Seed, logger);
        }

        var network = settings.NetworkOptions();
        network.Validate();
        return new ProxyCellScorer(proxies, context, arch => NasBench201Cell.Parse(arch).ToString(), arch => NasBench201Network.Build(arch, network), sampler, settings.Seed, logger);
    }
}
