namespace GradSign.Search;

/// <summary>
/// The bookkeeping of one run shared by all searchers: the budget (every training goes through <see cref="Train(TArch, int)"/>,
/// which refuses to overrun), the history and incumbent, and the proxy's calls and time. The budget counts trainings at the
/// evaluator's lowest fidelity; with an <see cref="IMultiFidelityEvaluator{TArch}"/> a training at fidelity i costs
/// <c>Fidelities[i] / Fidelities[0]</c> of them.
/// </summary>
internal sealed class SearchRun<TArch>
    where TArch : notnull
{
    private readonly IArchitectureEvaluator<TArch> _evaluator;
    private readonly List<SearchStep<TArch>> _history;
    private readonly IMultiFidelityEvaluator<TArch>? _multiFidelity;
    private readonly double[] _costs;
    private readonly CancellationToken _cancellationToken;
    private int _best = -1;

    public SearchRun(
        ISearchSpace<TArch> space,
        IArchitectureEvaluator<TArch> evaluator,
        int budget,
        SearchRandom random,
        ProxyAssist<TArch>? assist,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        if (space.Count == 0)
        {
            throw new ArgumentException($"Search space '{space.Name}' is empty.", nameof(space));
        }

        Space = space;
        _evaluator = evaluator;
        _multiFidelity = evaluator as IMultiFidelityEvaluator<TArch>;
        _costs = _multiFidelity is null ? [1.0] : Costs(_multiFidelity.Fidelities);
        Budget = budget;
        Random = random;
        Assist = assist;
        _cancellationToken = cancellationToken;
        _history = new List<SearchStep<TArch>>(Math.Min(budget, 1 << 16));
    }

    public ISearchSpace<TArch> Space { get; }

    public SearchRandom Random { get; }

    public ProxyAssist<TArch>? Assist { get; }

    public int Budget { get; }

    /// <summary>Budget used so far, in lowest-fidelity trainings.</summary>
    public double Spent { get; private set; }

    /// <summary>Whether a lowest-fidelity training still fits the budget.</summary>
    public bool HasBudget => CanAfford(0);

    public bool ProposesMoves => Assist is { ProposesMoves: true };

    public bool WarmsUp => Assist is { Warmup: > 0 };

    public int ProxyCalls { get; private set; }

    public double ProxySeconds { get; private set; }

    /// <summary>Whether one more training at <paramref name="fidelity"/> fits the budget.</summary>
    // The relative slack absorbs rounding in sums of fractional costs (e.g. 200/12); it is far below any real cost.
    public bool CanAfford(int fidelity) => Spent + _costs[fidelity] <= Budget * (1 + 1e-12);

    /// <summary>Trains one architecture at the lowest fidelity and records it.</summary>
    public double Train(TArch arch) => Train(arch, 0);

    /// <summary>Trains one architecture at a fidelity (charging its cost) and records it.</summary>
    public double Train(TArch arch, int fidelity)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if ((uint)fidelity >= (uint)_costs.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(fidelity), fidelity, $"The evaluator has {_costs.Length} fidelities.");
        }

        if (!CanAfford(fidelity))
        {
            throw new InvalidOperationException($"Budget of {Budget} trainings exhausted ({Spent:G6} spent, a fidelity-{fidelity} training costs {_costs[fidelity]:G6}).");
        }

        var signal = _multiFidelity is null ? _evaluator.Evaluate(arch) : _multiFidelity.Evaluate(arch, fidelity);
        Spent += _costs[fidelity];
        _history.Add(new SearchStep<TArch>(arch, signal, fidelity));
        // The incumbent lives on the highest fidelity reached (HpBandSter's rule): signals of different fidelities are not
        // comparable. Within it, strictly greater: the first-trained architecture wins ties (Python's max() does the same).
        if (_best < 0 || fidelity > _history[_best].Fidelity
            || (fidelity == _history[_best].Fidelity && Better(signal, _history[_best].Signal)))
        {
            _best = _history.Count - 1;
        }

        return signal;
    }

    /// <summary>Draws <see cref="ProxyAssist{TArch}.Candidates"/> architectures and returns the best-scored (first among ties).</summary>
    public TArch ProposeBestOf(Func<TArch> draw)
    {
        var assist = Assist ?? throw new InvalidOperationException("No proxy to propose moves with.");
        var best = draw();
        var bestScore = Score(best);
        for (var k = 1; k < assist.Candidates; k++)
        {
            var candidate = draw();
            var score = Score(candidate);
            if (Better(score, bestScore))
            {
                best = candidate;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>
    /// The warm-up list: <see cref="ProxyAssist{TArch}.Warmup"/> distinct random cells (capped at the space size), sorted
    /// by descending score (NaN last, ties in draw order). Empty without warm-up.
    /// </summary>
    public IReadOnlyList<TArch> WarmupRanking()
    {
        if (!WarmsUp)
        {
            return [];
        }

        var count = Math.Min(Assist!.Warmup, Space.Count);
        var seen = new HashSet<TArch>();
        var scored = new List<(TArch Arch, double Score, int Order)>(count);
        while (scored.Count < count)
        {
            var arch = Space.Sample(Random);
            if (seen.Add(arch))
            {
                scored.Add((arch, Score(arch), scored.Count));
            }
        }

        scored.Sort((a, b) => Better(a.Score, b.Score) ? -1 : Better(b.Score, a.Score) ? 1 : a.Order.CompareTo(b.Order));
        return [.. scored.Select(s => s.Arch)];
    }

    /// <summary>The run's result.</summary>
    /// <param name="requireExhausted">
    /// True for searchers that must spend the whole budget; false for those that stop at the first training that no longer
    /// fits (<see cref="Bohb{TArch}"/>, as NAS-Bench-201's simulated BOHB worker does).
    /// </param>
    public SearchResult<TArch> Result(bool requireExhausted = true)
    {
        if ((requireExhausted && HasBudget) || _history.Count == 0)
        {
            throw new InvalidOperationException($"Search stopped after {_history.Count} trainings with {Budget - Spent:G6} of {Budget} budget left.");
        }

        var best = _history[_best];
        return new SearchResult<TArch>(best.Arch, best.Signal, _history, ProxyCalls, ProxySeconds, Spent);
    }

    /// <summary>Whether score <paramref name="a"/> ranks above <paramref name="b"/> (NaN ranks below every number).</summary>
    internal static bool Better(double a, double b) => !double.IsNaN(a) && (double.IsNaN(b) || a > b);

    private static double[] Costs(IReadOnlyList<double> fidelities)
    {
        if (fidelities.Count == 0)
        {
            throw new ArgumentException("The evaluator offers no fidelity.", "evaluator");
        }

        var costs = new double[fidelities.Count];
        for (var i = 0; i < costs.Length; i++)
        {
            if (!(fidelities[i] > 0) || double.IsInfinity(fidelities[i]) || (i > 0 && !(fidelities[i] > fidelities[i - 1])))
            {
                throw new ArgumentException($"Fidelity {i} has length {fidelities[i]}; lengths must be positive, finite and strictly ascending.", "evaluator");
            }

            costs[i] = fidelities[i] / fidelities[0];
        }

        return costs;
    }

    private double Score(TArch arch)
    {
        var score = Assist!.Scorer.Score(arch);
        ProxyCalls++;
        ProxySeconds += score.Elapsed.TotalSeconds;
        return score.Value;
    }
}
