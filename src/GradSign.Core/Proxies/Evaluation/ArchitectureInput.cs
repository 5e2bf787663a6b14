using GradSign.Networks;

namespace GradSign.Proxies.Evaluation;

/// <summary>
/// One architecture to score: a key (an arch string, an index, anything stable) and how to get its network. The spec
/// is created lazily, when the runner reaches the architecture, so a long stream never holds every network at once.
/// </summary>
public sealed record ArchitectureInput
{
    /// <summary>An architecture whose network is built on demand and initialised by the runner.</summary>
    /// <param name="key">Key reported with the results.</param>
    /// <param name="createSpec">Builds the network.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    public ArchitectureInput(string key, Func<NetworkSpec> createSpec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(createSpec);
        Key = key;
        CreateSpec = createSpec;
    }

    /// <summary>Key reported with the results.</summary>
    public string Key { get; }

    /// <summary>Builds the network.</summary>
    public Func<NetworkSpec> CreateSpec { get; }

    /// <summary>
    /// Fixed weights to use instead of the runner's seeded initialisation (e.g. weights loaded from an oracle
    /// fixture); their spec is the network. Null (default) lets the runner initialise.
    /// </summary>
    public NetworkWeights? Weights { get; init; }

    /// <summary>An architecture with an already built network.</summary>
    /// <param name="key">Key.</param>
    /// <param name="spec">The network.</param>
    /// <returns>The input.</returns>
    public static ArchitectureInput FromSpec(string key, NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new ArchitectureInput(key, () => spec);
    }

    /// <summary>An architecture scored on the given weights (no initialisation).</summary>
    /// <param name="key">Key.</param>
    /// <param name="weights">The weights; their spec is the network.</param>
    /// <returns>The input.</returns>
    public static ArchitectureInput FromWeights(string key, NetworkWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return new ArchitectureInput(key, () => weights.Spec) { Weights = weights };
    }
}
