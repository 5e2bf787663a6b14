namespace GradSign.Proxies.Evaluation;

/// <summary>What the runner does when a proxy throws.</summary>
public enum ProxyFailureMode
{
    /// <summary>Rethrow, ending the run (zero-cost-nas's driver re-raises too). Default.</summary>
    Throw,

    /// <summary>Record NaN with the exception's message and go on (BayesWatch NASWOT scores failures as NaN).</summary>
    RecordNaN,
}

/// <summary>Settings of a <see cref="ProxyRunner"/> run. Immutable.</summary>
public sealed record ProxyRunOptions
{
    /// <summary>Seed 0, failures thrown.</summary>
    public static ProxyRunOptions Default { get; } = new();

    /// <summary>
    /// Base seed. Architecture i is initialised with <see cref="ProxyRunner.DeriveWeightSeed"/>(Seed, i), so a run is
    /// reproducible and each architecture's weights depend only on the seed and its position, not on the others.
    /// </summary>
    public int Seed { get; init; }

    /// <summary>What to do when a proxy throws.</summary>
    public ProxyFailureMode OnProxyFailure { get; init; } = ProxyFailureMode.Throw;
}
