namespace GradSign.Search;

/// <summary>A zero-cost proxy score of one architecture and what it cost.</summary>
/// <param name="Value">The score (higher predicts better; NaN when the proxy failed, which ranks below every number).</param>
/// <param name="Seconds">Compute time charged for it (a table's recorded time, or measured wall time); 0 when unknown.</param>
public readonly record struct ProxyScore(double Value, double Seconds);

/// <summary>
/// A zero-cost proxy as a searcher sees it: a cheap score used to choose which architectures to train. Its time is
/// reported beside the search, never charged to the training budget (GradSign's protocol).
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
public interface IProxyScorer<in TArch>
    where TArch : notnull
{
    /// <summary>The proxy id, e.g. <c>gradsign</c>.</summary>
    string Name { get; }

    /// <summary>Scores an architecture.</summary>
    /// <param name="arch">The architecture.</param>
    /// <returns>The score and its cost.</returns>
    ProxyScore Score(TArch arch);
}
