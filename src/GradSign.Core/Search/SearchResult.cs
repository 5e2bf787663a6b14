namespace GradSign.Search;

/// <summary>One training of a search, in training order.</summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
/// <param name="Arch">The architecture.</param>
/// <param name="Signal">Its search signal at that fidelity (e.g. 12-epoch validation accuracy).</param>
/// <param name="Fidelity">
/// Index of the fidelity it was trained at (<see cref="IMultiFidelityEvaluator{TArch}.Fidelities"/>); 0 for a
/// single-fidelity evaluator.
/// </param>
public readonly record struct SearchStep<TArch>(TArch Arch, double Signal, int Fidelity = 0);

/// <summary>The outcome of one search run.</summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
/// <param name="Best">
/// The incumbent: the best architecture by search signal among the trainings at the highest fidelity reached (the first
/// one trained among ties). With one fidelity that is simply the best-signal architecture.
/// </param>
/// <param name="BestSignal">Its signal.</param>
/// <param name="History">Every training, in order.</param>
/// <param name="ProxyCalls">Proxy scores computed (0 without a proxy).</param>
/// <param name="ProxySeconds">Their total charged time in seconds (not part of the budget).</param>
/// <param name="BudgetSpent">
/// Budget used, in trainings at the evaluator's lowest fidelity (a training at fidelity i costs
/// <c>Fidelities[i] / Fidelities[0]</c>); with one fidelity it equals <see cref="Evaluations"/>.
/// </param>
public sealed record SearchResult<TArch>(TArch Best, double BestSignal, IReadOnlyList<SearchStep<TArch>> History, int ProxyCalls, double ProxySeconds, double BudgetSpent)
    where TArch : notnull
{
    /// <summary>Number of trainings (= the budget for the single-fidelity searchers).</summary>
    public int Evaluations => History.Count;

    /// <summary>The fidelity of <see cref="Best"/> (the highest fidelity any training reached).</summary>
    public int BestFidelity => History.Count == 0 ? 0 : History.Max(h => h.Fidelity);
}
