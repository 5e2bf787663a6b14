namespace GradSign.Backends;

/// <summary>What an <see cref="ITensorBackend"/> can compute. Proxies declare the capabilities they need and fail
/// before any work when a backend lacks one.</summary>
[Flags]
public enum BackendCapabilities
{
    /// <summary>Nothing beyond forward float32 logits and batch gradients.</summary>
    None = 0,
    /// <summary>Execution in float64 (<see cref="Precision.Float64"/>).</summary>
    Float64 = 1 << 0,
    /// <summary><see cref="Execution.INetworkExecutor.PerSampleGradients"/>.</summary>
    PerSampleGradients = 1 << 1,
    /// <summary><see cref="Execution.INetworkExecutor.HessianVectorProduct"/>.</summary>
    HessianVectorProducts = 1 << 2,
    /// <summary>Gradients with respect to the input (<see cref="Execution.INetworkExecutor.Backward(Batch, Execution.Objective, bool)"/> with <c>inputGradient: true</c>).</summary>
    InputGradients = 1 << 3,
    /// <summary><see cref="Execution.INetworkExecutor.ReluCodes"/>.</summary>
    ReluCodes = 1 << 4,
    /// <summary><see cref="Execution.INetworkExecutor.OutputSaliencies"/>.</summary>
    OutputSaliencies = 1 << 5,
    /// <summary><see cref="Execution.INetworkExecutor.LayerOutputs"/>.</summary>
    LayerOutputs = 1 << 6,
    /// <summary>Every capability above.</summary>
    All = Float64 | PerSampleGradients | HessianVectorProducts | InputGradients | ReluCodes | OutputSaliencies | LayerOutputs,
}
