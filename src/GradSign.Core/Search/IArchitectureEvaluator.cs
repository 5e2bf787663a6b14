namespace GradSign.Search;

/// <summary>
/// The expensive "training" signal of a search (higher is better). In a simulated search it is a benchmark lookup, e.g.
/// NAS-Bench-201's 12-epoch validation accuracy; every call counts against the search budget.
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
public interface IArchitectureEvaluator<in TArch>
    where TArch : notnull
{
    /// <summary>Trains (or looks up) and validates an architecture.</summary>
    /// <param name="arch">The architecture.</param>
    /// <returns>The search signal (e.g. validation accuracy in percent).</returns>
    double Evaluate(TArch arch);
}
