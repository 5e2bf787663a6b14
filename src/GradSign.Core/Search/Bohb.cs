namespace GradSign.Search;

/// <summary>
/// BOHB (Falkner, Klein and Hutter 2018): Hyperband's brackets of successive halving over the evaluator's fidelities, with
/// new configurations proposed by BOHB's model (<see cref="BohbModel"/>: Parzen estimators of the good and bad
/// configurations over the per-edge operations) instead of uniformly.
/// <list type="bullet">
/// <item><b>Ladder.</b> The rungs are the fidelities of an <see cref="IMultiFidelityEvaluator{TArch}"/> (one rung for a plain
/// evaluator, which makes BOHB sequential model-based search). Iteration t runs bracket s = s_max − (t mod (s_max + 1)) of
/// Hyperband (Li et al. 2018): n configurations on its lowest rung, the best ⌊n/η⌋ retrained on the next, and so on; a
/// promoted configuration is trained again from scratch at the higher fidelity and charged in full.</item>
/// <item><b>Budget.</b> Counted in trainings at the lowest fidelity, a training at fidelity i costing
/// <c>Fidelities[i] / Fidelities[0]</c>. The search ends at the first training that no longer fits (NAS-Bench-201's BOHB
/// worker stops the same way), so it may leave part of the budget unspent.</item>
/// <item><b>Proposals.</b> Drawn one at a time, so each sees every earlier result: uniformly while no budget has N_min + 2
/// observations or with probability <see cref="BohbOptions.RandomFraction"/>, else from the model of the largest budget that
/// has one. Promoted configurations are trained in the order they were proposed.</item>
/// <item><b>Incumbent.</b> The best configuration on the highest fidelity reached (HpBandSter's rule).</item>
/// </list>
/// <para>Proxy assistance. <b>Move proposal</b> is GradSign's G-BOHB (<c>hpbandster/optimizers/config_generators/bohb.py</c>
/// in GradSign's code): every new configuration is the best-scored of <see cref="ProxyAssist{TArch}.Candidates"/> uniformly
/// random cells, the model's proposal being discarded (so the model is fitted but never used). <b>Warm-up</b> replaces the
/// uniform draws: while no model exists (and for the random fraction) proposals come from the top of the warm-up list, at
/// most <see cref="ProxyAssist{TArch}.WarmupTake"/> of them (default: the whole list).</para>
/// <para>In a restricted space a model draw outside it is redrawn (at most <see cref="BohbModel.MaxRedraws"/> times per
/// draw; a proposal whose draws all fail is uniform).</para>
/// </summary>
/// <typeparam name="TArch">The architecture type; the space must be an <see cref="IEdgeOperationSpace{TArch}"/>.</typeparam>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class Bohb<TArch> : ISearcher<TArch>
    where TArch : notnull
{
    /// <summary>Creates the searcher.</summary>
    /// <param name="options">Settings (default NAS-Bench-201's).</param>
    /// <exception cref="ArgumentOutOfRangeException">Invalid settings.</exception>
    public Bohb(BohbOptions? options = null)
    {
        Options = options ?? BohbOptions.Default;
        Options.Validate();
    }

    /// <summary>The settings.</summary>
    public BohbOptions Options { get; }

    /// <inheritdoc/>
    public string Name => "bohb";

    /// <inheritdoc/>
    /// <remarks><paramref name="budget"/> counts trainings at the evaluator's lowest fidelity (see the class remarks).</remarks>
    /// <exception cref="ArgumentException"><paramref name="space"/> is not an <see cref="IEdgeOperationSpace{TArch}"/>, or the evaluator's fidelities are not ascending.</exception>
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
            throw new ArgumentException($"BOHB needs a per-edge operation space; '{space?.Name}' is not one.", nameof(space));
        }

        var run = new SearchRun<TArch>(space, evaluator, budget, random, assist, cancellationToken);
        var ladder = evaluator is IMultiFidelityEvaluator<TArch> multi ? multi.Fidelities : [1.0];
        var schedule = new HyperbandSchedule(ladder, Options.Eta);
        var proposer = new Proposer(run, edges, new BohbModel(edges.EdgeCount, edges.OperationCount, ladder.Count, Options), Options, assist);
        for (var iteration = 0; ; iteration++)
        {
            var rungs = schedule.Bracket(iteration).Rungs;
            var current = new List<(TArch Arch, double Signal)>(rungs[0].Configurations);
            for (var k = 0; k < rungs[0].Configurations; k++)
            {
                if (!run.CanAfford(rungs[0].Rung))
                {
                    return run.Result(requireExhausted: false);
                }

                var arch = proposer.Next();
                current.Add((arch, proposer.Train(arch, rungs[0].Rung)));
            }

            for (var i = 1; i < rungs.Count; i++)
            {
                var next = new List<(TArch Arch, double Signal)>(rungs[i].Configurations);
                foreach (var arch in Best(current, rungs[i].Configurations))
                {
                    if (!run.CanAfford(rungs[i].Rung))
                    {
                        return run.Result(requireExhausted: false);
                    }

                    next.Add((arch, proposer.Train(arch, rungs[i].Rung)));
                }

                current = next;
            }
        }
    }

    /// <summary>The best <paramref name="count"/> by signal (NaN last, ties in order), returned in their original order.</summary>
    internal static IEnumerable<TArch> Best(IReadOnlyList<(TArch Arch, double Signal)> rung, int count)
        => rung.Select((r, i) => (r.Signal, Order: i))
            .OrderByDescending(r => double.IsNaN(r.Signal) ? double.NegativeInfinity : r.Signal)
            .ThenBy(r => r.Order)
            .Take(count)
            .Select(r => r.Order)
            .Order()
            .Select(i => rung[i].Arch);

    /// <summary>Chooses new configurations and feeds results to the model.</summary>
    private sealed class Proposer(SearchRun<TArch> run, IEdgeOperationSpace<TArch> space, BohbModel model, BohbOptions options, ProxyAssist<TArch>? assist)
    {
        private readonly IReadOnlyList<TArch> _warmup = run.WarmupRanking();
        private readonly int[] _point = new int[space.EdgeCount];
        private int _warmupUsed;

        private int WarmupTake => Math.Min(_warmup.Count, assist?.WarmupTake ?? _warmup.Count);

        public TArch Next()
        {
            var random = run.Random;
            var fromPrior = model.ModelBudget is null || (options.RandomFraction > 0 && random.NextDouble() < options.RandomFraction);
            if (fromPrior && _warmupUsed < WarmupTake)
            {
                return _warmup[_warmupUsed++];
            }

            if (run.ProposesMoves)
            {
                // G-BOHB: GradSign's config generator discards whatever it would have proposed for the best-scored random cell.
                return run.ProposeBestOf(() => space.Sample(random));
            }

            if (fromPrior)
            {
                return space.Sample(random);
            }

            var proposal = model.Propose(random, p => space.Contains(space.Compose(p)));
            return proposal is null ? space.Sample(random) : space.Compose(proposal);
        }

        public double Train(TArch arch, int fidelity)
        {
            var signal = run.Train(arch, fidelity);
            space.Decompose(arch, _point);
            model.Observe(fidelity, _point, signal);
            return signal;
        }
    }
}
