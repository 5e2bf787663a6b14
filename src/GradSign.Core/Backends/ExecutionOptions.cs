namespace GradSign.Backends;

/// <summary>Floating-point precision of a compiled network.</summary>
public enum Precision
{
    /// <summary>float32, as the references compute every proxy except SynFlow.</summary>
    Float32,
    /// <summary>float64 (SynFlow; oracle comparisons).</summary>
    Float64,
}

/// <summary>Which BatchNorm layers a compiled network keeps.</summary>
public enum BatchNormMode
{
    /// <summary>Every BatchNorm runs (training mode).</summary>
    KeepAll,
    /// <summary>
    /// BatchNorms with <c>Removable = true</c> become identity; the others stay. This is zero-cost-nas's
    /// <c>get_prunable_copy(bn=False)</c> on NAS-Bench-201, which keeps the reduction blocks' BatchNorms.
    /// </summary>
    RemoveRemovable,
    /// <summary>Every BatchNorm becomes identity (NASLib).</summary>
    RemoveAll,
}

/// <summary>A transform applied to every parameter when a network is compiled.</summary>
public enum ParameterTransform
{
    /// <summary>Weights as given.</summary>
    None,
    /// <summary>|θ| for every parameter (SynFlow's linearisation).</summary>
    Absolute,
}

/// <summary>How a backend compiles a network. Immutable; every property is checked when it is set, so an instance is
/// always valid and no backend needs to check it again.</summary>
public sealed record ExecutionOptions
{
    /// <summary>Default: float32, every BatchNorm kept, weights as given, all cores.</summary>
    public static ExecutionOptions Default { get; } = new();

    /// <summary>Precision.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined <see cref="Backends.Precision"/>.</exception>
    public Precision Precision { get; init => field = Defined(value, nameof(Precision)); } = Precision.Float32;

    /// <summary>Which BatchNorms run.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined <see cref="Backends.BatchNormMode"/>.</exception>
    public BatchNormMode BatchNormMode { get; init => field = Defined(value, nameof(BatchNormMode)); } = BatchNormMode.KeepAll;

    /// <summary>Parameter transform.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined <see cref="Backends.ParameterTransform"/>.</exception>
    public ParameterTransform ParameterTransform { get; init => field = Defined(value, nameof(ParameterTransform)); } = ParameterTransform.None;

    /// <summary>Threads a backend may use; −1 means all cores. Results do not depend on it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">0 or below −1.</exception>
    public int MaxDegreeOfParallelism { get; init => field = CheckParallelism(value, nameof(MaxDegreeOfParallelism)); } = -1;

    /// <summary>The threads <see cref="MaxDegreeOfParallelism"/> allows on this machine, for backends to size their work
    /// by: every core for −1, else the value capped at <see cref="Environment.ProcessorCount"/> (threads beyond the
    /// cores only contend for them).</summary>
    public int ThreadCount => MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : Math.Min(MaxDegreeOfParallelism, Environment.ProcessorCount);

    /// <summary>Checks a degree of parallelism: positive, or −1 for all cores.</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The name to report.</param>
    /// <returns><paramref name="value"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">0 or below −1.</exception>
    internal static int CheckParallelism(int value, string name)
        => value is -1 or > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive number of threads or -1 (all cores); got {value}.");

    private static T Defined<T>(T value, string name)
        where T : struct, Enum
        => Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} {value} is not a defined {typeof(T).Name}.");
}
