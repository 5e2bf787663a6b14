namespace GradSign.Search;

/// <summary>
/// A training signal available at several fidelities (e.g. NAS-Bench-201's 12-epoch and 200-epoch accuracies), as
/// multi-fidelity searchers such as <see cref="Bohb{TArch}"/> need. Each fidelity is a training length; a training at
/// fidelity i is charged <c>Fidelities[i] / Fidelities[0]</c> units of the search budget, so a budget counts trainings at
/// the lowest fidelity — the unit every single-fidelity searcher uses. <see cref="IArchitectureEvaluator{TArch}.Evaluate"/>
/// is the lowest fidelity.
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
public interface IMultiFidelityEvaluator<in TArch> : IArchitectureEvaluator<TArch>
    where TArch : notnull
{
    /// <summary>Training length of each fidelity (e.g. epochs), positive and strictly ascending; at least one.</summary>
    IReadOnlyList<double> Fidelities { get; }

    /// <summary>Trains (or looks up) and validates an architecture at one fidelity.</summary>
    /// <param name="arch">The architecture.</param>
    /// <param name="fidelity">Index into <see cref="Fidelities"/>.</param>
    /// <returns>The search signal at that fidelity.</returns>
    double Evaluate(TArch arch, int fidelity);
}
