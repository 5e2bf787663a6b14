namespace GradSign.Search;

/// <summary>
/// How a searcher uses a zero-cost proxy. Two schemes, usable together:
/// <list type="bullet">
/// <item><b>Move proposal</b> (GradSign, <c>autodl/{RANDOM,R_EA,reinforce}.py</c>): wherever the searcher would train one
/// new architecture, it draws <see cref="Candidates"/> of them instead (random cells for random search, mutations of the
/// parent for evolution, mutations of the sampled cell for REINFORCE) and trains only the one with the best score.
/// <see cref="Candidates"/> = 1 switches it off.</item>
/// <item><b>Warm-up</b> (zero-cost-nas, <c>notebooks/nas_examples.ipynb</c>): before searching, score <see cref="Warmup"/>
/// distinct random cells and train the best-scored ones first (the initial population of evolution, the first models of
/// random search). 0 switches it off.</item>
/// </list>
/// The proxy's time is counted separately (<see cref="SearchResult{TArch}.ProxySeconds"/>), never against the budget.
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
/// <param name="Scorer">The proxy.</param>
/// <remarks>Every setting is checked when it is set, so an instance is always valid.</remarks>
public sealed record ProxyAssist<TArch>(IProxyScorer<TArch> Scorer)
    where TArch : notnull
{
    /// <summary>The proxy.</summary>
    public IProxyScorer<TArch> Scorer { get; init; } = Scorer ?? throw new ArgumentNullException(nameof(Scorer));

    /// <summary>GradSign's number of candidates per move.</summary>
    public const int DefaultCandidates = 10;

    /// <summary>Candidates per move, at least 1 (1 = no move proposal). Default <see cref="DefaultCandidates"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int Candidates
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Candidates), value, "Candidates per move must be at least 1.");
    } = DefaultCandidates;

    /// <summary>Random cells scored before the search (0 = no warm-up; zero-cost-nas used 3000).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public int Warmup
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Warmup), value, "Warm-up size must be 0 (off) or positive.");
    }

    /// <summary>
    /// How many of the best warm-up cells are trained first; null = the searcher's default (random search: the whole budget;
    /// evolution: the population; REINFORCE: <see cref="Reinforce{TArch}.DefaultWarmupTake"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int? WarmupTake
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(WarmupTake), value, "Warm-up take must be positive.");
    }

    /// <summary>Whether move proposal is on (<see cref="Candidates"/> &gt; 1).</summary>
    public bool ProposesMoves => Candidates > 1;
}
