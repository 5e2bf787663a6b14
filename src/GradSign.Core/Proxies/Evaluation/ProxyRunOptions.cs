namespace GradSign.Proxies.Evaluation;

/// <summary>Settings of a <see cref="ProxyRunner"/> run. Immutable.</summary>
/// <remarks>A proxy that throws ends the run with its exception: a failure is an error, never a score.</remarks>
public sealed record ProxyRunOptions
{
    /// <summary>Seed 0.</summary>
    public static ProxyRunOptions Default { get; } = new();

    /// <summary>
    /// The run's seed. Each architecture is initialised with
    /// <see cref="Networks.NetworkWeights.Initialize(Networks.NetworkSpec, ulong, Networks.ArchitectureKey)"/>(spec, Seed,
    /// its <see cref="ArchitectureInput.Key"/>), so its weights depend only on the seed and the architecture, not on the
    /// other architectures or their order.
    /// </summary>
    public ulong Seed { get; init; }
}
