using GradSign.Search;

namespace GradSign.Cli.Search;

/// <summary>Settings of a simulated NAS-Bench-201 search experiment (<see cref="NasBench201SearchSimulation"/>).</summary>
/// <threadsafety>Immutable.</threadsafety>
public sealed record NasBench201SearchOptions
{
    /// <summary>The search signal used by NAS-Bench-201's search protocol on CIFAR-10: 12-epoch validation accuracy of the <c>cifar10-valid</c> runs.</summary>
    public const string DefaultSignalColumn = "cifar10_valid_12ep";

    /// <summary>Epochs of the low-fidelity training (the 12-epoch table), the unit of <see cref="Budget"/>.</summary>
    public const int TwelveEpochs = 12;

    /// <summary>Epochs of the full training (the 200-epoch table).</summary>
    public const int FullEpochs = 200;

    /// <summary>The algorithm.</summary>
    public SearchAlgorithm Algorithm { get; init; } = SearchAlgorithm.RandomSearch;

    /// <summary>Independent runs (run r uses <see cref="SearchRandom.RunSeed"/>(<see cref="Seed"/>, r)), at least 1.</summary>
    public int Runs { get; init; } = 100;

    /// <summary>
    /// Budget per run in 12-epoch trainings (<see cref="TwelveEpochs"/> epochs each), at least 1: the number of trained cells
    /// for RS, REA and REINFORCE; for BOHB a 200-epoch training costs 200/12 of them.
    /// </summary>
    public int Budget { get; init; } = 100;

    /// <summary>The experiment's seed.</summary>
    public ulong Seed { get; init; }

    /// <summary>Column of the 12-epoch table that plays "training" (default <see cref="DefaultSignalColumn"/>).</summary>
    public string SignalColumn { get; init; } = DefaultSignalColumn;

    /// <summary>Whether the proxy scores steer the search; when false, scores only restrict the space (a vanilla baseline on the same cells).</summary>
    public bool UseProxy { get; init; } = true;

    /// <summary>Move-proposal candidates (<see cref="ProxyAssist{TArch}.Candidates"/>; 1 = off).</summary>
    public int Candidates { get; init; } = ProxyAssist<int>.DefaultCandidates;

    /// <summary>Warm-up cells (<see cref="ProxyAssist{TArch}.Warmup"/>; 0 = off).</summary>
    public int Warmup { get; init; }

    /// <summary>Warm-up cells trained first (<see cref="ProxyAssist{TArch}.WarmupTake"/>; null = the algorithm's default).</summary>
    public int? WarmupTake { get; init; }

    /// <summary>Evolution settings.</summary>
    public RegularizedEvolutionOptions Evolution { get; init; } = RegularizedEvolutionOptions.Default;

    /// <summary>REINFORCE settings.</summary>
    public ReinforceOptions Reinforce { get; init; } = ReinforceOptions.Default;

    /// <summary>BOHB settings.</summary>
    public BohbOptions Bohb { get; init; } = BohbOptions.Default;

    /// <summary>
    /// BOHB's fidelity ladder in epochs: <c>[12, 200]</c> (default; Hyperband over the 12-epoch and 200-epoch tables) or
    /// <c>[12]</c> (the 12-epoch table only: BOHB's model without Hyperband). Ignored by the other algorithms, which train
    /// at 12 epochs.
    /// </summary>
    public IReadOnlyList<int> Fidelities { get; init; } = [TwelveEpochs, FullEpochs];

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value out of range (named).</exception>
    /// <exception cref="ArgumentException">An empty signal column.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Algorithm))
        {
            throw new ArgumentOutOfRangeException(nameof(Algorithm), Algorithm, "Unknown search algorithm.");
        }

        if (Runs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Runs), Runs, $"Runs must be at least 1, got {Runs}.");
        }

        if (Budget < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Budget), Budget, $"Budget must be at least 1 trained cell, got {Budget}.");
        }

        if (Candidates < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Candidates), Candidates, $"Candidates per move must be at least 1 (1 = off), got {Candidates}.");
        }

        if (Warmup < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Warmup), Warmup, $"Warm-up size must be 0 (off) or positive, got {Warmup}.");
        }

        if (WarmupTake is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(WarmupTake), WarmupTake, $"Warm-up take must be positive, got {WarmupTake}.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(SignalColumn);
        ArgumentNullException.ThrowIfNull(Evolution);
        ArgumentNullException.ThrowIfNull(Reinforce);
        ArgumentNullException.ThrowIfNull(Bohb);
        ArgumentNullException.ThrowIfNull(Fidelities);
        Evolution.Validate();
        Reinforce.Validate();
        Bohb.Validate();
        if (Fidelities.Count == 0 || Fidelities[0] != TwelveEpochs || Fidelities.Any(f => f is not (TwelveEpochs or FullEpochs))
            || Fidelities.Zip(Fidelities.Skip(1)).Any(p => p.Second <= p.First))
        {
            throw new ArgumentOutOfRangeException(nameof(Fidelities), string.Join(",", Fidelities), $"Fidelities must be {TwelveEpochs} or {TwelveEpochs},{FullEpochs} epochs (the tables hold no others; the budget unit is a {TwelveEpochs}-epoch training).");
        }
    }
}
