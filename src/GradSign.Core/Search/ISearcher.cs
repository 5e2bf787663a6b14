namespace GradSign.Search;

/// <summary>A NAS search algorithm with a budget counted in trained architectures (at the lowest fidelity, for multi-fidelity searchers).</summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
public interface ISearcher<TArch>
    where TArch : notnull
{
    /// <summary>Short name, e.g. <c>rs</c>, <c>rea</c>, <c>reinforce</c>, <c>bohb</c>.</summary>
    string Name { get; }

    /// <summary>Runs one search: exactly <paramref name="budget"/> calls of <paramref name="evaluator"/> (multi-fidelity searchers: trainings charged by cost until the next one no longer fits).</summary>
    /// <param name="space">The search space.</param>
    /// <param name="evaluator">The training signal.</param>
    /// <param name="budget">Trained architectures, at least 1.</param>
    /// <param name="random">The run's random source.</param>
    /// <param name="assist">Optional proxy assistance.</param>
    /// <param name="cancellationToken">Checked before each training.</param>
    /// <returns>The run's result.</returns>
    /// <exception cref="ArgumentException">A bad argument (named), or a space this algorithm cannot search.</exception>
    SearchResult<TArch> Search(
        ISearchSpace<TArch> space,
        IArchitectureEvaluator<TArch> evaluator,
        int budget,
        SearchRandom random,
        ProxyAssist<TArch>? assist = null,
        CancellationToken cancellationToken = default);
}
