namespace GradSign.Search;

/// <summary>
/// Regularised (aging) evolution, Real et al. 2019, as in NAS-Bench-201's <c>R_EA.py</c>: train a random initial
/// population; then each cycle draws <see cref="RegularizedEvolutionOptions.SampleSize"/> members with replacement, mutates
/// the best of them (one edge), trains the child, appends it and removes the <b>oldest</b> member. The budget counts the
/// initial population. With move proposal the child is the best-scored of
/// <see cref="ProxyAssist{TArch}.Candidates"/> mutations of the parent (G-REA); with warm-up the initial population is
/// the top of the warm-up list (zero-cost-nas).
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class RegularizedEvolution<TArch> : ISearcher<TArch>
    where TArch : notnull
{
    /// <summary>Creates the searcher.</summary>
    /// <param name="options">Settings (default NAS-Bench-201's).</param>
    /// <exception cref="ArgumentOutOfRangeException">Invalid settings.</exception>
    public RegularizedEvolution(RegularizedEvolutionOptions? options = null)
    {
        Options = options ?? RegularizedEvolutionOptions.Default;
        Options.Validate();
    }

    /// <summary>The settings.</summary>
    public RegularizedEvolutionOptions Options { get; }

    /// <inheritdoc/>
    public string Name => "rea";

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
        var population = new AgingPopulation<TArch>(Options.Population);
        var ranked = run.WarmupRanking();
        var take = Math.Min(ranked.Count, Math.Min(Options.Population, assist?.WarmupTake ?? Options.Population));
        for (var i = 0; i < take && run.HasBudget; i++)
        {
            population.Add(ranked[i], run.Train(ranked[i]));
        }

        while (population.Count < Options.Population && run.HasBudget)
        {
            var arch = space.Sample(random);
            population.Add(arch, run.Train(arch));
        }

        while (run.HasBudget)
        {
            var parent = population.Tournament(Options.SampleSize, random);
            var child = run.ProposesMoves ? run.ProposeBestOf(() => space.Mutate(parent, random)) : space.Mutate(parent, random);
            population.Add(child, run.Train(child));
        }

        return run.Result();
    }
}
