namespace GradSign.Search;

/// <summary>
/// A simulated training signal read from a table (e.g. NAS-Bench-201's 12-epoch validation accuracies), counting its
/// calls so a test or a report can check the budget.
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
/// <threadsafety>Not thread-safe (the counter).</threadsafety>
public sealed class LookupEvaluator<TArch> : IArchitectureEvaluator<TArch>
    where TArch : notnull
{
    private readonly IReadOnlyDictionary<TArch, double> _signals;

    /// <summary>Creates the evaluator.</summary>
    /// <param name="signals">Signal of every architecture the search may train.</param>
    public LookupEvaluator(IReadOnlyDictionary<TArch, double> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        _signals = signals;
    }

    /// <summary>Number of <see cref="Evaluate"/> calls so far.</summary>
    public int Calls { get; private set; }

    /// <inheritdoc/>
    /// <exception cref="KeyNotFoundException">The table has no such architecture.</exception>
    public double Evaluate(TArch arch)
    {
        Calls++;
        return _signals.TryGetValue(arch, out var signal)
            ? signal
            : throw new KeyNotFoundException($"No training signal for architecture {arch}.");
    }
}
