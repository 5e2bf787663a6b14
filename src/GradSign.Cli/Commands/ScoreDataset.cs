using GradSign.Backends;
using GradSign.Backends.Managed;
using GradSign.Data;
using GradSign.Proxies;
using GradSign.Proxies.Evaluation;
using GradSign.SearchSpaces.NasBench201;

namespace GradSign.Cli.Commands;

/// <summary>
/// <c>gradsign score --space nb201 --arch STR --dataset D [--batch 64] [--seed S] [--proxies …] [--variant …]
/// [--pipeline zerocostnas|naswot] [--data DIR] [--json]</c>: scores one NAS-Bench-201 cell on real images.
/// </summary>
/// <remarks>
/// The network takes its classes and input size from the dataset (cifar10 10/32, cifar100 100/32, imagenet16-120
/// 120/16). The batch is drawn from the training split by <see cref="BatchSampler"/> and the weights are initialised by
/// <see cref="ProxyRunner"/>, both from the seed and the cell's <see cref="NasBench201Cell.Key"/> — the same draws
/// <c>correlate</c> makes for the cell, so both print the same scores. A proxy that throws is an error. An ensemble named in
/// <c>--proxies</c> prints its members' scores (its own is defined only over a population).
/// </remarks>
internal static class ScoreDataset
{
    /// <summary>What the dataset path needs besides the network options.</summary>
    internal sealed record Request(
        NasBench201Cell Cell,
        NasBench201Variant Variant,
        int Channels,
        int Cells,
        DatasetKind Dataset,
        BatchPipeline Pipeline,
        int BatchSize,
        ulong Seed,
        string? Proxies,
        string? DataFolderOption);

    /// <summary>Scores the cell and returns (proxy id, value) in the order the proxies ran.</summary>
    /// <param name="request">The parsed request.</param>
    /// <param name="backend">The backend.</param>
    /// <param name="cancellationToken">Cancels between proxies.</param>
    /// <returns>The scores.</returns>
    /// <exception cref="ArgumentException">A bad option (named).</exception>
    public static IReadOnlyList<(string Id, double Value)> Run(Request request, ITensorBackend backend, CancellationToken cancellationToken = default)
    {
        if (request.BatchSize < 1)
        {
            throw new ArgumentException($"--batch must be a positive integer, got {request.BatchSize}.");
        }

        IReadOnlyList<IZeroCostProxy> proxies;
        try
        {
            // By default the single proxies (an ensemble has no value for one network); a named ensemble prints its members.
            proxies = request.Proxies is null ? [.. ProxyRegistry.CreateDefault().Proxies] : CliProxies.Create().Resolve(request.Proxies);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or ArgumentException)
        {
            throw new ArgumentException($"--proxies: {ex.Message}", ex);
        }

        var folder = CliDataFolder.Resolve(request.DataFolderOption);

        var options = new NasBench201NetworkOptions(
            request.Channels,
            request.Cells,
            request.Dataset.ClassCount(),
            request.Dataset.ImageSize(),
            request.Variant);
        var train = ImageDatasets.Load(folder, request.Dataset, DatasetSplit.Train);
        var sampler = new BatchSampler(train, request.Dataset, new BatchOptions(request.Pipeline, request.BatchSize, request.Seed));
        var input = new ArchitectureInput(request.Cell.ToString(), () => NasBench201Network.Build(request.Cell, options));
        var runner = new ProxyRunner(new ProxyContext(backend));
        var results = new List<ProxyScore>();
        foreach (var proxy in proxies)
        {
            // One proxy at a time (the same weights and batch each time): buffers one proxy kept are given back before the
            // next, so the command's peak memory is that of the proxy needing the most rather than a mix of several.
            var scores = runner.Run([input], [proxy], (a, _) => sampler.GetBatch(a.Key), new ProxyRunOptions { Seed = request.Seed }, null, cancellationToken).Single();
            results.AddRange(scores.Results);
            ReleaseMemory(backend);
        }

        return [.. results
            .SelectMany(r => r.Members ?? [r])
            .DistinctBy(r => r.ProxyId, StringComparer.Ordinal)
            .Select(r => (r.ProxyId, r.Value))];
    }

    /// <summary>Drops the managed backend's kept buffers and returns the freed memory to the system.</summary>
    private static void ReleaseMemory(ITensorBackend backend)
    {
        if (backend is ManagedBackend managed)
        {
            managed.TrimBuffers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }
}
