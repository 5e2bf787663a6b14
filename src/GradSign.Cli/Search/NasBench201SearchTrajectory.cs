namespace GradSign.Cli.Search;

/// <summary>
/// The incumbent of a run after one training: what the run would report had it stopped there. Successive points of a run
/// form its best-so-far curve; the last point is the run's reported result.
/// </summary>
/// <param name="Spent">Budget spent so far, in 12-epoch trainings (a 200-epoch training counts 200/12).</param>
/// <param name="Signal">The incumbent's search signal (at the highest fidelity reached, as the run reports it).</param>
/// <param name="Final">The incumbent's 200-epoch accuracies (%) by report column (<see cref="NasBench201SearchSimulation.ReportColumns"/>).</param>
public sealed record NasBench201TrajectoryPoint(double Spent, double Signal, IReadOnlyDictionary<string, double> Final);

/// <summary>Builds a run's best-so-far curve from its training history, by the incumbent rule of the searchers.</summary>
internal static class NasBench201SearchTrajectory
{
    /// <summary>
    /// One point per training: the incumbent is the best signal on the highest fidelity reached, the first trained among
    /// ties (the rule of <c>SearchResult.Best</c>), so the last point is the run's reported best.
    /// </summary>
    /// <param name="history">Trainings in order: (fidelity index, signal, 200-epoch accuracies of the trained cell).</param>
    /// <param name="costs">Cost of a training at each fidelity, in 12-epoch trainings.</param>
    /// <returns>The points.</returns>
    public static IReadOnlyList<NasBench201TrajectoryPoint> Build(
        IReadOnlyList<(int Fidelity, double Signal, IReadOnlyDictionary<string, double> Final)> history, IReadOnlyList<double> costs)
    {
        var points = new NasBench201TrajectoryPoint[history.Count];
        var spent = 0.0;
        var best = -1;
        for (var i = 0; i < history.Count; i++)
        {
            var (fidelity, signal, _) = history[i];
            spent += costs[fidelity];
            if (best < 0 || fidelity > history[best].Fidelity
                || (fidelity == history[best].Fidelity && Better(signal, history[best].Signal)))
            {
                best = i;
            }

            points[i] = new NasBench201TrajectoryPoint(spent, history[best].Signal, history[best].Final);
        }

        return points;
    }

    /// <summary>NaN ranks below every number, as in the searchers.</summary>
    private static bool Better(double a, double b) => !double.IsNaN(a) && (double.IsNaN(b) || a > b);
}
