namespace GradSign.Search;

/// <summary>
/// The bookkeeping of one run shared by all searchers: the budget (every training goes through <see cref="Train"/>, which
/// refuses to overrun), the history and incumbent, and the proxy's calls and time.
/// </summary>
internal sealed class SearchRun<TArch>
    where TArch : notnull
{
    private readonly IArchitectureEvaluator<TArch> _evaluator;
    private readonly List<SearchStep<TArch>> _history;
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
        Budget = budget;
        Random = random;
        Assist = assist;
        _cancellationToken = cancellationToken;
        _history = new List<SearchStep<TArch>>(budget);
    }

    public ISearchSpace<TArch> Space { get; }

    public SearchRandom Random { get; }

    public ProxyAssist<TArch>? Assist { get; }

    public int Budget { get; }

    public bool HasBudget => _history.Count < Budget;

    public bool ProposesMoves => Assist is { ProposesMoves: true };

    public bool WarmsUp => Assist is { Warmup: > 0 };

    public int ProxyCalls { get; private set; }

    public double ProxySeconds { get; private set; }

    /// <summary>Trains one architecture (one unit of budget) and records it.</summary>
    public double Train(TArch arch)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (!HasBudget)
        {
            throw new InvalidOperationException($"Budget of {Budget} trainings exhausted.");
        }

        var signal = _evaluator.Evaluate(arch);
        _history.Add(new SearchStep<TArch>(arch, signal));
        // Strictly greater: the first-trained architecture wins ties (Python's max() over the history does the same).
        if (_best < 0 || signal > _history[_best].Signal || (double.IsNaN(_history[_best].Signal) && !double.IsNaN(signal)))
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

    public SearchResult<TArch> Result()
    {
        if (_history.Count != Budget)
        {
            throw new InvalidOperationException($"Search stopped after {_history.Count} of {Budget} trainings.");
        }

        var best = _history[_best];
        return new SearchResult<TArch>(best.Arch, best.Signal, _history, ProxyCalls, ProxySeconds);
    }

    /// <summary>Whether score <paramref name="a"/> ranks above <paramref name="b"/> (NaN ranks below every number).</summary>
    private static bool Better(double a, double b) => !double.IsNaN(a) && (double.IsNaN(b) || a > b);

    private double Score(TArch arch)
    {
        var score = Assist!.Scorer.Score(arch);
        ProxyCalls++;
        ProxySeconds += score.Elapsed.TotalSeconds;
        return score.Value;
    }
}
