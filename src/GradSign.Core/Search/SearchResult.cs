namespace GradSign.Search;

/// <summary>One trained architecture of a search, in training order.</summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
/// <param name="Arch">The architecture.</param>
/// <param name="Signal">Its search signal (e.g. 12-epoch validation accuracy).</param>
public readonly record struct SearchStep<TArch>(TArch Arch, double Signal);

/// <summary>The outcome of one search run.</summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
/// <param name="Best">The best architecture by search signal (the first one trained among ties).</param>
/// <param name="BestSignal">Its signal.</param>
/// <param name="History">Every training, in order (its length equals the budget).</param>
/// <param name="ProxyCalls">Proxy scores computed (0 without a proxy).</param>
/// <param name="ProxySeconds">Their total charged time in seconds (not part of the budget).</param>
public sealed record SearchResult<TArch>(TArch Best, double BestSignal, IReadOnlyList<SearchStep<TArch>> History, int ProxyCalls, double ProxySeconds)
    where TArch : notnull
{
    /// <summary>Number of trainings (= the budget).</summary>
    public int Evaluations => History.Count;
}
