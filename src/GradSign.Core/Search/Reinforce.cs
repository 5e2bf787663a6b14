namespace GradSign.Search;

/// <summary>
/// REINFORCE (Williams 1992) as in NAS-Bench-201's <c>reinforce.py</c>: a <see cref="ReinforcePolicy"/> over every edge's
/// operation samples a cell, the cell is trained, the baseline absorbs the reward, and the policy takes an Adam step on
/// <c>−log π(a)·(reward − baseline)</c>. The best cell is the best-rewarded one of the run.
/// <para>With move proposal (G-REINFORCE) the sampled cell is replaced by the best-scored of
/// <see cref="ProxyAssist{TArch}.Candidates"/> mutations of it, and — as GradSign's code does — the update still uses the log
/// probability of the <i>sampled</i> action with the reward of the substituted cell. With warm-up the first
/// <see cref="ProxyAssist{TArch}.WarmupTake"/> (default <see cref="DefaultWarmupTake"/>) trainings are the top of the warm-up
/// list, each followed by a policy update on its own actions.</para>
/// <para>In a restricted space a sampled cell outside it is redrawn (the update still uses the unrestricted log
/// probability).</para>
/// </summary>
/// <typeparam name="TArch">The architecture type; the space must be an <see cref="IEdgeOperationSpace{TArch}"/>.</typeparam>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class Reinforce<TArch> : ISearcher<TArch>
    where TArch : notnull
{
    /// <summary>Warm-up cells trained first when <see cref="ProxyAssist{TArch}.WarmupTake"/> is null.</summary>
    public const int DefaultWarmupTake = 10;

    /// <summary>Redraws allowed per step before a restricted space is declared too sparse for the policy.</summary>
    public const int MaxRedraws = 100_000;

    /// <summary>Creates the searcher.</summary>
    /// <param name="options">Settings (default NAS-Bench-201's).</param>
    /// <exception cref="ArgumentOutOfRangeException">Invalid settings.</exception>
    public Reinforce(ReinforceOptions? options = null)
    {
        Options = options ?? ReinforceOptions.Default;
        Options.Validate();
    }

    /// <summary>The settings.</summary>
    public ReinforceOptions Options { get; }

    /// <inheritdoc/>
    public string Name => "reinforce";

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="space"/> is not an <see cref="IEdgeOperationSpace{TArch}"/>.</exception>
    public SearchResult<TArch> Search(
        ISearchSpace<TArch> space,
        IArchitectureEvaluator<TArch> evaluator,
        int budget,
        SearchRandom random,
        ProxyAssist<TArch>? assist = null,
        CancellationToken cancellationToken = default)
    {
        if (space is not IEdgeOperationSpace<TArch> edges)
        {
            throw new ArgumentException($"REINFORCE needs a per-edge operation space; '{space?.Name}' is not one.", nameof(space));
        }

        var run = new SearchRun<TArch>(space, evaluator, budget, random, assist, cancellationToken);
        var policy = new ReinforcePolicy(edges.EdgeCount, edges.OperationCount, Options.LearningRate, Options.InitialScale, random);
        var baseline = new MovingAverageBaseline(Options.BaselineMomentum);
        var actions = new int[edges.EdgeCount];

        var ranked = run.WarmupRanking();
        var take = Math.Min(ranked.Count, assist?.WarmupTake ?? DefaultWarmupTake);
        for (var i = 0; i < take && run.HasBudget; i++)
        {
            edges.Decompose(ranked[i], actions);
            Learn(policy, baseline, actions, run.Train(ranked[i]));
        }

        while (run.HasBudget)
        {
            var sampled = SampleInside(edges, policy, random, actions);
            var arch = run.ProposesMoves ? run.ProposeBestOf(() => space.Mutate(sampled, random)) : sampled;
            Learn(policy, baseline, actions, run.Train(arch));
        }

        return run.Result();
    }

    private static void Learn(ReinforcePolicy policy, MovingAverageBaseline baseline, int[] actions, double reward)
    {
        // reinforce.py updates the baseline with this reward before taking the advantage.
        baseline.Update(reward);
        policy.Update(actions, reward - baseline.Value);
    }

    private static TArch SampleInside(IEdgeOperationSpace<TArch> space, ReinforcePolicy policy, SearchRandom random, int[] actions)
    {
        for (var attempt = 0; attempt < MaxRedraws; attempt++)
        {
            policy.Sample(random, actions);
            var arch = space.Compose(actions);
            if (space.Contains(arch))
            {
                return arch;
            }
        }

        throw new InvalidOperationException($"The policy drew {MaxRedraws} cells outside the restricted space '{space.Name}' in a row.");
    }
}
