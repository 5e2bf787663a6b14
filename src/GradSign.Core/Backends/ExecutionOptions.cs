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

/// <summary>How a backend compiles a network. Immutable.</summary>
public sealed record ExecutionOptions
{
    /// <summary>Default: float32, every BatchNorm kept, weights as given, all cores.</summary>
    public static ExecutionOptions Default { get; } = new();

    /// <summary>Precision.</summary>
    public Precision Precision { get; init; } = Precision.Float32;

    /// <summary>Which BatchNorms run.</summary>
    public BatchNormMode BatchNormMode { get; init; } = BatchNormMode.KeepAll;

    /// <summary>Parameter transform.</summary>
    public ParameterTransform ParameterTransform { get; init; } = ParameterTransform.None;

    /// <summary>Threads a backend may use; −1 means all cores. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
