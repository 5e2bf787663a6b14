using GradSign.Proxies;

namespace GradSign.Search;

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
    /// <returns>The score and its cost (<see cref="ProxyScore.Elapsed"/>; a NaN score ranks below every number).</returns>
    ProxyScore Score(TArch arch);
}
