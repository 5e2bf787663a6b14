using GradSign.Data;
using GradSign.Networks;
using GradSign.Proxies;
using GradSign.Proxies.Evaluation;
using Microsoft.Extensions.Logging;

namespace GradSign.Cli.Studies;

/// <summary>
/// Scores a cell with <see cref="ProxyRunner"/>: builds its network, initialises the weights from (study seed, the
/// <see cref="ArchitectureKey"/> of the cell's canonical name — for NAS-Bench-201 <c>NasBench201Cell.Key</c>, for
/// NAS-Bench-101 the key of its pruned spec's JSON), draws the cell's batch from the <see cref="BatchSampler"/> by the same key,
/// and runs every proxy on those weights and that batch — exactly what <c>gradsign score --dataset</c> and the library
/// do for the cell and seed. Nothing depends on the order cells are scored in. A proxy that throws ends the run. An ensemble contributes
/// one column per member (scored together, sharing passes), none of its own.
/// </summary>
internal sealed class ProxyCellScorer : ICellScorer
{
    private readonly IReadOnlyList<IZeroCostProxy> _proxies;
    private readonly Func<string, string> _canonicalName;
    private readonly Func<string, NetworkSpec> _buildSpec;
    private readonly BatchSampler _sampler;
    private readonly ProxyRunner _runner;
    private readonly ProxyRunOptions _options;

    /// <summary>Creates a scorer.</summary>
    /// <param name="proxies">Proxies, in column order.</param>
    /// <param name="context">Backend and precision.</param>
    /// <param name="canonicalName">Architecture text → its canonical name, whose <see cref="ArchitectureKey"/> seeds the
    /// cell's weights and batch (for NAS-Bench-201 <c>NasBench201Cell.Parse(arch).ToString()</c>).</param>
    /// <param name="buildSpec">Architecture text → network.</param>
    /// <param name="sampler">Batches.</param>
    /// <param name="seed">Study seed.</param>
    /// <param name="logger">Logger.</param>
    public ProxyCellScorer(IReadOnlyList<IZeroCostProxy> proxies, ProxyContext context, Func<string, string> canonicalName, Func<string, NetworkSpec> buildSpec, BatchSampler sampler, ulong seed, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(proxies);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(canonicalName);
        ArgumentNullException.ThrowIfNull(buildSpec);
        ArgumentNullException.ThrowIfNull(sampler);
        _proxies = proxies;
        _canonicalName = canonicalName;
        _buildSpec = buildSpec;
        _sampler = sampler;
        _runner = new ProxyRunner(context, logger);
        _options = new ProxyRunOptions { Seed = seed };
        ProxyIds = [.. proxies.SelectMany(p => p is ProxyEnsemble e ? e.Members : [p]).Select(p => p.Id)];
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> ProxyIds { get; }

    /// <inheritdoc/>
    public CellScores Score(int index, string arch, CancellationToken cancellationToken)
    {
        var input = new ArchitectureInput(_canonicalName(arch), () => _buildSpec(arch));
        var scores = _runner.Run([input], _proxies, (a, _) => _sampler.GetBatch(a.Key), _options, null, cancellationToken).Single();
        var columns = scores.Results.Zip(_proxies).SelectMany(t => t.Second is ProxyEnsemble ? t.First.Members! : [t.First]).ToList();
        return new CellScores(
            [.. columns.Select(r => r.Value)],
            [.. columns.Select(r => r.Elapsed.TotalSeconds)]);
    }
}
