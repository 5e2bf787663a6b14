namespace GradSign.Search;

/// <summary>
/// Random search (NAS-Bench-201's <c>RANDOM.py</c>): train uniformly random architectures until the budget is spent;
/// duplicates are trained (and charged) again, as there. With move proposal each trained cell is the best-scored of
/// <see cref="ProxyAssist{TArch}.Candidates"/> random cells (G-RS); with warm-up the best-scored warm-up cells are trained
/// first (by default the whole budget comes from the top of the warm-up list).
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
/// <threadsafety>Stateless; safe to share.</threadsafety>
public sealed class RandomSearch<TArch> : ISearcher<TArch>
    where TArch : notnull
{
    /// <inheritdoc/>
    public string Name => "rs";

    /// <inheritdoc/>
    public SearchResult<TArch> Search(
        ISearchSpace<TArch> space,
        IArchitectureEvaluator<TArch> evaluator,
        int budget,
        SearchRandom random,
        ProxyAssist<TArch>? assist = null,
        CancellationToken cancellationToken = default)
    {
        var run = new SearchRun<TArch>(space, evaluator, budget, random, assist, cancellationToken);
        var ranked = run.WarmupRanking();
        var take = Math.Min(ranked.Count, assist?.WarmupTake ?? budget);
        for (var i = 0; i < take && run.HasBudget; i++)
        {
            run.Train(ranked[i]);
        }

        while (run.HasBudget)
        {
            var arch = run.ProposesMoves ? run.ProposeBestOf(() => space.Sample(random)) : space.Sample(random);
            run.Train(arch);
        }

        return run.Result();
    }
}
