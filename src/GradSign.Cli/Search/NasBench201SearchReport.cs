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
/// <param name="BestEpochs">Training length (epochs) of the fidelity <paramref name="BestSignal"/> was measured at.</param>
/// <param name="TrainingsByEpochs">Trainings of the run by training length (epochs).</param>
public sealed record NasBench201SearchRun(
    int Run,
    ulong Seed,
    string BestArch,
    int BestIndex,
    double BestSignal,
    IReadOnlyDictionary<string, double> Final,
    int ProxyCalls,
    double ProxySeconds,
    int BestEpochs,
    IReadOnlyDictionary<int, int> TrainingsByEpochs)
{
    /// <summary>Trainings of the run, all fidelities.</summary>
    public int Trainings => TrainingsByEpochs.Values.Sum();

    /// <summary>Simulated training epochs the run charged.</summary>
    public int Epochs => TrainingsByEpochs.Sum(p => p.Key * p.Value);
}

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

    /// <summary>The budget of every run in epochs (<see cref="NasBench201SearchOptions.Budget"/> 12-epoch trainings).</summary>
    public int BudgetEpochs => Options.Budget * NasBench201SearchOptions.TwelveEpochs;

    /// <summary>Mean trainings per run.</summary>
    public double TrainingsPerRun => Runs.Average(r => r.Trainings);

    /// <summary>Mean charged epochs per run.</summary>
    public double EpochsPerRun => Runs.Average(r => r.Epochs);

    /// <summary>Mean trainings per run at one training length.</summary>
    /// <param name="epochs">The training length.</param>
    /// <returns>The mean (0 where no run trained that long).</returns>
    public double TrainingsPerRunAt(int epochs) => Runs.Average(r => r.TrainingsByEpochs.GetValueOrDefault(epochs));
}
