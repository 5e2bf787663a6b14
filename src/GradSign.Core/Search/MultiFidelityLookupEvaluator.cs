namespace GradSign.Search;

/// <summary>
/// A simulated multi-fidelity training signal read from one table per fidelity (e.g. NAS-Bench-201's 12-epoch and
/// 200-epoch validation accuracies), counting its calls per fidelity so a test or a report can check the budget.
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
/// <threadsafety>Not thread-safe (the counters).</threadsafety>
public sealed class MultiFidelityLookupEvaluator<TArch> : IMultiFidelityEvaluator<TArch>
    where TArch : notnull
{
    private readonly double[] _fidelities;
    private readonly IReadOnlyDictionary<TArch, double>[] _signals;
    private readonly int[] _calls;

    /// <summary>Creates the evaluator.</summary>
    /// <param name="levels">
    /// One (training length, signal table) pair per fidelity, lengths positive, finite and strictly ascending.
    /// </param>
    /// <exception cref="ArgumentException">No fidelity, a null table, or lengths that are not positive and strictly ascending (named).</exception>
    public MultiFidelityLookupEvaluator(IReadOnlyList<(double Length, IReadOnlyDictionary<TArch, double> Signals)> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        if (levels.Count == 0)
        {
            throw new ArgumentException("At least one fidelity is needed.", nameof(levels));
        }

        _fidelities = new double[levels.Count];
        _signals = new IReadOnlyDictionary<TArch, double>[levels.Count];
        for (var i = 0; i < levels.Count; i++)
        {
            var (length, signals) = levels[i];
            if (!(length > 0) || double.IsInfinity(length) || (i > 0 && !(length > _fidelities[i - 1])))
            {
                throw new ArgumentException($"Fidelity {i} has length {length}; lengths must be positive, finite and strictly ascending.", nameof(levels));
            }

            _fidelities[i] = length;
            _signals[i] = signals ?? throw new ArgumentException($"Fidelity {i} has no signal table.", nameof(levels));
        }

        _calls = new int[levels.Count];
    }

    /// <inheritdoc/>
    public IReadOnlyList<double> Fidelities => _fidelities;

    /// <summary>Number of evaluations so far, all fidelities together.</summary>
    public int Calls => _calls.Sum();

    /// <summary>Number of evaluations so far at one fidelity.</summary>
    /// <param name="fidelity">Index into <see cref="Fidelities"/>.</param>
    /// <returns>The count.</returns>
    public int CallsAt(int fidelity) => _calls[CheckFidelity(fidelity)];

    /// <inheritdoc/>
    public double Evaluate(TArch arch) => Evaluate(arch, 0);

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">No such fidelity.</exception>
    /// <exception cref="KeyNotFoundException">The fidelity's table has no such architecture.</exception>
    public double Evaluate(TArch arch, int fidelity)
    {
        _calls[CheckFidelity(fidelity)]++;
        return _signals[fidelity].TryGetValue(arch, out var signal)
            ? signal
            : throw new KeyNotFoundException($"No training signal at fidelity {fidelity} ({_fidelities[fidelity]}) for architecture {arch}.");
    }

    private int CheckFidelity(int fidelity) => (uint)fidelity < (uint)_fidelities.Length
        ? fidelity
        : throw new ArgumentOutOfRangeException(nameof(fidelity), fidelity, $"Fidelity must be in [0, {_fidelities.Length}).");
}
