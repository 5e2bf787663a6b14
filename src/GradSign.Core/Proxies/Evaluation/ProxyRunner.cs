using System.Diagnostics;
using GradSign.Data;
using GradSign.Networks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradSign.Proxies.Evaluation;

/// <summary>Supplies the batch an architecture is scored on.</summary>
/// <param name="architectureIndex">The architecture's position in the stream.</param>
/// <param name="spec">Its network.</param>
/// <returns>The batch every proxy of that architecture sees.</returns>
public delegate Batch BatchProvider(int architectureIndex, NetworkSpec spec);

/// <summary>
/// Scores a stream of architectures with a set of proxies. For every architecture: one weight initialisation (seeded
/// by <see cref="DeriveWeightSeed"/>), one batch, then every proxy on those same weights and that same batch (proxies
/// never modify weights), each timed. Results are yielded as each architecture completes, so a long search can
/// consume them lazily. The run is deterministic for a seed.
/// </summary>
/// <remarks>
/// Capabilities are checked before any work: a proxy whose requirements the backend lacks throws
/// <see cref="NotSupportedException"/> naming both. Cancellation is checked between architectures and between
/// proxies (and by the proxies between their coarse steps).
/// </remarks>
public sealed class ProxyRunner
{
    private readonly ProxyContext _context;
    private readonly ILogger _logger;

    /// <summary>Creates a runner.</summary>
    /// <param name="context">Backend and execution settings shared by every proxy.</param>
    /// <param name="logger">Logger; default <see cref="NullLogger.Instance"/>.</param>
    public ProxyRunner(ProxyContext context, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(context.Backend);
        _context = context;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The seed architecture <paramref name="index"/> is initialised with: a SplitMix64 hash of both, non-negative.</summary>
    /// <param name="baseSeed">The run's seed.</param>
    /// <param name="index">The architecture's position.</param>
    /// <returns>The weight seed.</returns>
    public static int DeriveWeightSeed(int baseSeed, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var rng = new Internal.SplitMix64(((ulong)(uint)baseSeed << 32) | (uint)index);
        return (int)(rng.NextUInt64() >> 33);
    }

    /// <summary>Scores every architecture on the same batch (BayesWatch NASWOT's protocol).</summary>
    /// <param name="architectures">The architectures, consumed lazily.</param>
    /// <param name="proxies">The proxies, run in this order.</param>
    /// <param name="batch">The batch every architecture is scored on.</param>
    /// <param name="options">Seed and failure handling; default <see cref="ProxyRunOptions.Default"/>.</param>
    /// <param name="progress">Reports after every proxy.</param>
    /// <param name="cancellationToken">Checked between architectures and proxies.</param>
    /// <returns>The scores of each architecture, as it completes.</returns>
    /// <exception cref="NotSupportedException">A proxy needs a capability the backend lacks (thrown before any work).</exception>
    /// <exception cref="ArgumentException">A proxy needs labels and the batch has none, or two proxies share an id (thrown before any work).</exception>
    public IEnumerable<ArchitectureScores> Run(
        IEnumerable<ArchitectureInput> architectures,
        IReadOnlyList<IZeroCostProxy> proxies,
        Batch batch,
        ProxyRunOptions? options = null,
        IProgress<ProxyProgressInfo>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Validate(architectures, proxies);
        EnsureLabels(proxies, batch);
        return RunCore(architectures, proxies, (_, _) => batch, options ?? ProxyRunOptions.Default, progress, cancellationToken);
    }

    /// <summary>Scores every architecture on a batch of its own (zero-cost-nas's protocol draws one per network).</summary>
    /// <param name="architectures">The architectures, consumed lazily.</param>
    /// <param name="proxies">The proxies, run in this order.</param>
    /// <param name="batches">Supplies each architecture's batch; it should be deterministic for reproducible runs.</param>
    /// <param name="options">Seed and failure handling; default <see cref="ProxyRunOptions.Default"/>.</param>
    /// <param name="progress">Reports after every proxy.</param>
    /// <param name="cancellationToken">Checked between architectures and proxies.</param>
    /// <returns>The scores of each architecture, as it completes.</returns>
    /// <exception cref="NotSupportedException">A proxy needs a capability the backend lacks (thrown before any work).</exception>
    /// <exception cref="ArgumentException">Two proxies share an id (before any work); a batch lacks labels a proxy needs (when that batch is drawn).</exception>
    public IEnumerable<ArchitectureScores> Run(
        IEnumerable<ArchitectureInput> architectures,
        IReadOnlyList<IZeroCostProxy> proxies,
        BatchProvider batches,
        ProxyRunOptions? options = null,
        IProgress<ProxyProgressInfo>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        Validate(architectures, proxies);
        return RunCore(architectures, proxies, batches, options ?? ProxyRunOptions.Default, progress, cancellationToken);
    }

    private void Validate(IEnumerable<ArchitectureInput> architectures, IReadOnlyList<IZeroCostProxy> proxies)
    {
        ArgumentNullException.ThrowIfNull(architectures);
        ArgumentNullException.ThrowIfNull(proxies);
        if (proxies.Count == 0)
        {
            throw new ArgumentException("No proxies to run.", nameof(proxies));
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var proxy in proxies)
        {
            ArgumentNullException.ThrowIfNull(proxy, nameof(proxies));
            if (!ids.Add(proxy.Id))
            {
                throw new ArgumentException($"Proxy '{proxy.Id}' is listed twice.", nameof(proxies));
            }

            var needed = proxy.Requirements.Capabilities;
            if (_context.Precision == Backends.Precision.Float64)
            {
                needed |= Backends.BackendCapabilities.Float64;
            }

            ProxyGuard.EnsureSupported(proxy.Id, needed, _context.Backend);
        }
    }

    private static void EnsureLabels(IReadOnlyList<IZeroCostProxy> proxies, Batch batch)
    {
        var needing = proxies.FirstOrDefault(p => p.Requirements.NeedsLabels);
        if (needing is not null && batch.Labels is null)
        {
            throw new ArgumentException($"Proxy '{needing.Id}' needs labels, but the batch has none.", nameof(batch));
        }
    }

    private IEnumerable<ArchitectureScores> RunCore(
        IEnumerable<ArchitectureInput> architectures,
        IReadOnlyList<IZeroCostProxy> proxies,
        BatchProvider batches,
        ProxyRunOptions options,
        IProgress<ProxyProgressInfo>? progress,
        CancellationToken cancellationToken)
    {
        ProxyRunnerLog.RunStarted(_logger, string.Join(",", proxies.Select(p => p.Id)), _context.Backend.Name, options.Seed);
        var index = 0;
        foreach (var architecture in architectures)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ArgumentNullException.ThrowIfNull(architecture, nameof(architectures));
            yield return Score(index, architecture, proxies, batches, options, progress, cancellationToken);
            index++;
        }

        ProxyRunnerLog.RunFinished(_logger, index);
    }

    private ArchitectureScores Score(
        int index,
        ArchitectureInput architecture,
        IReadOnlyList<IZeroCostProxy> proxies,
        BatchProvider batches,
        ProxyRunOptions options,
        IProgress<ProxyProgressInfo>? progress,
        CancellationToken cancellationToken)
    {
        int? weightSeed = null;
        NetworkWeights weights;
        if (architecture.Weights is { } fixedWeights)
        {
            weights = fixedWeights;
        }
        else
        {
            var spec = architecture.CreateSpec() ?? throw new InvalidOperationException($"The spec factory of '{architecture.Key}' returned null.");
            weightSeed = DeriveWeightSeed(options.Seed, index);
            weights = NetworkWeights.Initialize(spec, weightSeed.Value);
        }

        ProxyRunnerLog.ArchitectureStarted(_logger, index, architecture.Key, weights.Spec.ParameterCount, weightSeed);
        var batch = batches(index, weights.Spec) ?? throw new InvalidOperationException($"The batch provider returned null for '{architecture.Key}'.");
        EnsureLabels(proxies, batch);

        var results = new ProxyResult[proxies.Count];
        for (var p = 0; p < proxies.Count; p++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var proxy = proxies[p];
            var clock = Stopwatch.StartNew();
            ProxyResult result;
            try
            {
                if (proxy is ProxyEnsemble ensemble)
                {
                    // Members are scored (and, with RecordNaN, may fail) one by one, sharing passes.
                    var members = ensemble.ComputeMembers(weights, batch, _context, options.OnProxyFailure == ProxyFailureMode.RecordNaN, cancellationToken);
                    result = new ProxyResult(proxy.Id, double.NaN, clock.Elapsed)
                    {
                        Members = [.. members.Select(m => new ProxyResult(m.Score.ProxyId, m.Score.Value, m.Elapsed, m.Score.PerLayer, m.Error))],
                    };
                    foreach (var m in result.Members.Where(m => m.Error is not null))
                    {
                        ProxyRunnerLog.EnsembleMemberFailed(_logger, index, architecture.Key, proxy.Id, m.ProxyId, m.Error!);
                    }
                }
                else
                {
                    var score = proxy.Compute(weights, batch, _context, cancellationToken);
                    result = new ProxyResult(proxy.Id, score.Value, clock.Elapsed, score.PerLayer);
                }

                ProxyRunnerLog.ProxyScored(_logger, index, architecture.Key, proxy.Id, result.Value, result.Elapsed.TotalMilliseconds);
            }
            catch (Exception ex) when (options.OnProxyFailure == ProxyFailureMode.RecordNaN && ex is not OperationCanceledException)
            {
                result = new ProxyResult(proxy.Id, double.NaN, clock.Elapsed, null, ex.Message);
                ProxyRunnerLog.ProxyFailed(_logger, ex, index, architecture.Key, proxy.Id);
            }

            results[p] = result;
            progress?.Report(new ProxyProgressInfo(index, architecture.Key, proxy.Id, p + 1, proxies.Count, index + (p + 1 == proxies.Count ? 1 : 0), result.Elapsed));
        }

        return new ArchitectureScores(index, architecture.Key, weightSeed, results);
    }
}
