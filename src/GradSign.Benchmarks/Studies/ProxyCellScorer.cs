using GradSign.Data;
using GradSign.Networks;
using GradSign.Proxies;
using GradSign.Proxies.Evaluation;
using Microsoft.Extensions.Logging;

namespace GradSign.Benchmarks.Studies;

/// <summary>
/// Scores a cell with <see cref="ProxyRunner"/>: builds its network, initialises the weights with a seed derived from
/// (study seed, cell index), draws the cell's batch from the <see cref="BatchSampler"/> (also keyed by the cell index),
/// and runs every proxy on those weights and that batch. Nothing depends on the order cells are scored in.
/// A proxy that throws is recorded as NaN (and logged), as BayesWatch's NASWOT scripts do. An ensemble contributes one
/// column per member (scored together, sharing passes), none of its own.
/// </summary>
internal sealed class ProxyCellScorer : ICellScorer
{
    private readonly IReadOnlyList<IZeroCostProxy> _proxies;
    private readonly Func<string, NetworkSpec> _buildSpec;
    private readonly BatchSampler _sampler;
    private readonly ProxyRunner _runner;
    private readonly int _seed;

    /// <summary>Creates a scorer.</summary>
    /// <param name="proxies">Proxies, in column order.</param>
    /// <param name="context">Backend and precision.</param>
    /// <param name="buildSpec">Architecture string → network.</param>
    /// <param name="sampler">Batches.</param>
    /// <param name="seed">Study seed.</param>
    /// <param name="logger">Logger.</param>
    public ProxyCellScorer(IReadOnlyList<IZeroCostProxy> proxies, ProxyContext context, Func<string, NetworkSpec> buildSpec, BatchSampler sampler, ulong seed, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(proxies);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(buildSpec);
        ArgumentNullException.ThrowIfNull(sampler);
        _proxies = proxies;
        _buildSpec = buildSpec;
        _sampler = sampler;
        _runner = new ProxyRunner(context, logger);
        _seed = unchecked((int)(seed ^ (seed >> 32)));
        ProxyIds = [.. proxies.SelectMany(p => p is ProxyEnsemble e ? e.Members : [p]).Select(p => p.Id)];
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> ProxyIds { get; }

    /// <summary>The <see cref="ProxyRunOptions.Seed"/> of a cell: the runner then initialises the cell (position 0 of a
    /// one-cell stream) with <see cref="ProxyRunner.DeriveWeightSeed"/>(this, 0).</summary>
    internal static int CellSeed(int studySeed, int index) => ProxyRunner.DeriveWeightSeed(studySeed, index);

    /// <inheritdoc/>
    public CellScores Score(int index, string arch, CancellationToken cancellationToken)
    {
        var batch = _sampler.GetBatch(index);
        var options = new ProxyRunOptions { Seed = CellSeed(_seed, index), OnProxyFailure = ProxyFailureMode.RecordNaN };
        var input = new ArchitectureInput(arch, () => _buildSpec(arch));
        var scores = _runner.Run([input], _proxies, (_, _) => batch, options, null, cancellationToken).Single();
        // An ensemble that failed as a whole has no member results: NaN in each of its columns.
        var columns = scores.Results.Zip(_proxies).SelectMany(t => t.Second is ProxyEnsemble e
            ? t.First.Members ?? [.. e.Members.Select(m => new ProxyResult(m.Id, double.NaN, t.First.Elapsed, null, t.First.Error))]
            : [t.First]).ToList();
        return new CellScores(
            [.. columns.Select(r => r.Value)],
            [.. columns.Select(r => r.Elapsed.TotalSeconds)]);
    }
}
