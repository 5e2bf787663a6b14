using GradSign.Proxies;

namespace GradSign.Search;

/// <summary>
/// Precomputed proxy scores (a <c>gradsign correlate</c> results file, or published scores), with the compute time
/// recorded for each, looked up instead of recomputed — GradSign's own searches do the same.
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class LookupProxyScorer<TArch> : IProxyScorer<TArch>
    where TArch : notnull
{
    private readonly IReadOnlyDictionary<TArch, ProxyScore> _scores;

    /// <summary>Creates the scorer.</summary>
    /// <param name="name">Proxy id.</param>
    /// <param name="scores">Score and recorded seconds of every architecture the search may score.</param>
    public LookupProxyScorer(string name, IReadOnlyDictionary<TArch, ProxyScore> scores)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(scores);
        Name = name;
        _scores = scores;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Architectures with a score.</summary>
    public IEnumerable<TArch> Scored => _scores.Keys;

    /// <inheritdoc/>
    /// <exception cref="KeyNotFoundException">No score for the architecture (restrict the space to <see cref="Scored"/>).</exception>
    public ProxyScore Score(TArch arch) => _scores.TryGetValue(arch, out var score)
        ? score
        : throw new KeyNotFoundException($"Proxy '{Name}' has no score for architecture {arch}; restrict the search space to the scored cells.");
}
