using GradSign.Search;

namespace GradSign.Cli.Search;

/// <summary>One run of a simulated NAS-Bench-201 search.</summary>
/// <param name="Run">Run number, 0-based.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="BestArch">Best cell found (by the search signal), as an architecture string.</param>
/// <param name="BestIndex">Its benchmark index.</param>
/// <param name="BestSignal">Its search signal (12-epoch validation accuracy, %).</param>
/// <param name="Final">Its 200-epoch accuracies (%) by column (<see cref="NasBench201SearchSimulation.ReportColumns"/>).</param>
/// <param name="ProxyCalls">Proxy scores looked up.</param>
/// <param name="ProxySeconds">Their recorded compute time (0 where the score source records none).</param>
public sealed record NasBench201SearchRun(int Run, ulong Seed, string BestArch, int BestIndex, double BestSignal, IReadOnlyDictionary<string, double> Final, int ProxyCalls, double ProxySeconds);

/// <summary>The outcome of a simulated NAS-Bench-201 search experiment.</summary>
/// <param name="Options">The settings.</param>
/// <param name="Proxy">The proxy id steering the search, or null for a vanilla search.</param>
/// <param name="ScoreSource">Where the scores came from (also set for a vanilla search restricted to scored cells), or null.</param>
/// <param name="SpaceSize">Cells the search could visit.</param>
/// <param name="Note">Why the space is smaller than 15,625 cells, or null when it is not.</param>
/// <param name="Runs">Every run.</param>
public sealed record NasBench201SearchReport(
    NasBench201SearchOptions Options, string? Proxy, string? ScoreSource, int SpaceSize, string? Note, IReadOnlyList<NasBench201SearchRun> Runs)
{
    /// <summary>Mean ± std over runs of a final-accuracy column.</summary>
    /// <param name="column">One of <see cref="NasBench201SearchSimulation.ReportColumns"/>.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="KeyNotFoundException">Not a reported column.</exception>
    public MeanStd Summary(string column) => MeanStd.Of(Runs.Select(r => r.Final[column]));

    /// <summary>Mean ± std over runs of the best cell's search signal.</summary>
    public MeanStd BestSignal => MeanStd.Of(Runs.Select(r => r.BestSignal));

    /// <summary>Mean proxy calls per run.</summary>
    public double ProxyCallsPerRun => Runs.Average(r => r.ProxyCalls);

    /// <summary>Mean recorded proxy seconds per run.</summary>
    public double ProxySecondsPerRun => Runs.Average(r => r.ProxySeconds);
}
