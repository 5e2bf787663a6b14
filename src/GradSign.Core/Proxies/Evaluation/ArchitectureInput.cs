using GradSign.Networks;

namespace GradSign.Proxies.Evaluation;

/// <summary>
/// One architecture to score: its canonical name (e.g. a NAS-Bench-201 architecture string), the key of its random
/// draws (by default the name's, <see cref="ArchitectureKey.FromName"/>) and how to get its network. The spec is created
/// lazily, when the runner reaches the architecture, so a long stream never holds every network at once.
/// </summary>
public sealed record ArchitectureInput
{
    /// <summary>An architecture whose network is built on demand and initialised by the runner.</summary>
    /// <param name="name">The architecture's canonical name, reported with the results; its
    /// <see cref="ArchitectureKey.FromName"/> is the default <see cref="Key"/>.</param>
    /// <param name="createSpec">Builds the network.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public ArchitectureInput(string name, Func<NetworkSpec> createSpec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(createSpec);
        Name = name;
        Key = ArchitectureKey.FromName(name);
        CreateSpec = createSpec;
    }

    /// <summary>The architecture's name, reported with the results.</summary>
    public string Name { get; }

    /// <summary>The key of the architecture's random draws: with the run's seed it fixes the initial weights (and, through
    /// the caller's <see cref="BatchProvider"/>, the batch). Default: <see cref="ArchitectureKey.FromName"/> of <see cref="Name"/>.</summary>
    public ArchitectureKey Key { get; init; }

    /// <summary>Builds the network.</summary>
    public Func<NetworkSpec> CreateSpec { get; }

    /// <summary>
    /// Fixed weights to use instead of the runner's seeded initialisation (e.g. weights loaded from an oracle
    /// fixture); their spec is the network. Null (default) lets the runner initialise.
    /// </summary>
    public NetworkWeights? Weights { get; init; }

    /// <summary>An architecture with an already built network.</summary>
    /// <param name="name">The architecture's name.</param>
    /// <param name="spec">The network.</param>
    /// <returns>The input.</returns>
    public static ArchitectureInput FromSpec(string name, NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new ArchitectureInput(name, () => spec);
    }

    /// <summary>An architecture scored on the given weights (no initialisation).</summary>
    /// <param name="name">The architecture's name.</param>
    /// <param name="weights">The weights; their spec is the network.</param>
    /// <returns>The input.</returns>
    public static ArchitectureInput FromWeights(string name, NetworkWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return new ArchitectureInput(name, () => weights.Spec) { Weights = weights };
    }
}
