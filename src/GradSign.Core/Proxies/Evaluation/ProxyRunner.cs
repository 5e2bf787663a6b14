using GradSign.Backends;
using GradSign.Networks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradSign.Proxies.Evaluation;

/// <summary>Supplies the batch an architecture is scored on.</summary>
/// <param name="architecture">The architecture (draw its batch by its <see cref="ArchitectureInput.Key"/>, e.g.
/// <c>BatchSampler.GetBatch(architecture.Key)</c>, so the batch does not depend on the stream's order).</param>
/// <param name="spec">Its network.</param>
/// <returns>The batch every proxy of that architecture sees.</returns>
public delegate Batch BatchProvider(ArchitectureInput architecture, NetworkSpec spec);

/// <summary>
/// Scores a stream of architectures with a set of proxies. For every architecture: one weight initialisation (from the
/// run's seed and the architecture's <see cref="ArchitectureInput.Key"/>), one batch, then every proxy on those same
/// weights and that same batch (proxies never modify weights), each timed. Results are yielded as each architecture
/// completes, so a long search can consume them lazily. The run is deterministic for a seed.
/// </summary>
/// <remarks>
/// <para>Proxies share work as an ensemble's members do (<see cref="ProxyEnsemble"/>): those that can run on one
/// compiled network share it and its batch-statistics forward pass, and SNIP and grad_norm share one backward pass. The
/// scores are the same as each proxy's own <see cref="IZeroCostProxy.Compute"/>; a shared pass is timed once, under the
/// first proxy that uses it, and proxies may finish in another order than listed (progress reports them as they do).</para>
/// <para>
/// Capabilities are checked before any work: a proxy whose requirements the backend lacks throws
/// <see cref="NotSupportedException"/> naming both. A proxy that throws ends the run with its exception (a failure is
/// an error, never a score). Cancellation is checked between architectures and between
/// proxies (and by the proxies between their coarse steps).</para>
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

    /// <summary>Scores every architecture on the same batch (BayesWatch NASWOT's protocol).</summary>
    /// <param name="architectures">The architectures, consumed lazily.</param>
    /// <param name="proxies">The proxies; results come in this order.</param>
    /// <param name="batch">The batch every architecture is scored on.</param>
    /// <param name="options">The seed; default <see cref="ProxyRunOptions.Default"/>.</param>
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
    /// <param name="proxies">The proxies; results come in this order.</param>
    /// <param name="batches">Supplies each architecture's batch; it should be deterministic for reproducible runs.</param>
    /// <param name="options">The seed; default <see cref="ProxyRunOptions.Default"/>.</param>
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
        ulong? weightSeed = null;
        NetworkWeights weights;
        if (architecture.Weights is { } fixedWeights)
        {
            weights = fixedWeights;
        }
        else
        {
            var spec = architecture.CreateSpec() ?? throw new InvalidOperationException($"The spec factory of '{architecture.Name}' returned null.");
            weightSeed = architecture.Key.StreamSeed(options.Seed, NetworkWeights.WeightStream);
            weights = NetworkWeights.Initialize(spec, weightSeed.Value);
        }

        ProxyRunnerLog.ArchitectureStarted(_logger, index, architecture.Name, weights.Spec.ParameterCount, weightSeed);
        var batch = batches(architecture, weights.Spec) ?? throw new InvalidOperationException($"The batch provider returned null for '{architecture.Name}'.");
        EnsureLabels(proxies, batch);

        var results = new ProxyScore[proxies.Count];
        var done = 0;
        SharedPassSchedule.Run(proxies, weights, batch, _context, (p, score) =>
        {
            ProxyRunnerLog.ProxyScored(_logger, index, architecture.Name, score.ProxyId, score.Value, score.Elapsed.TotalMilliseconds);
            results[p] = score;
            done++;
            progress?.Report(new ProxyProgressInfo(index, architecture.Name, score.ProxyId, done, proxies.Count, index + (done == proxies.Count ? 1 : 0), score.Elapsed));
        }, cancellationToken);

        return new ArchitectureScores(index, architecture.Name, weightSeed, results);
    }
}
