using GradSign.Networks;

namespace GradSign.Backends.Managed;

/// <summary>
/// The default backend: a managed, SIMD-vectorised CPU implementation of every operation NAS-Bench-201/101
/// networks use, with exact PyTorch semantics (training-mode BatchNorm, ReLU'(0) = 0, first-maximum max pooling),
/// reverse-mode gradients, per-sample gradients, exact Hessian-vector products (forward-over-reverse) and ReLU codes.
/// </summary>
/// <threadsafety>Stateless; compiled networks are not thread-safe (compile one per thread).</threadsafety>
public sealed class ManagedBackend : ITensorBackend
{
    /// <summary>A shared instance (the backend holds no state).</summary>
    public static ManagedBackend Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "managed";

    /// <inheritdoc />
    public BackendCapabilities Capabilities => BackendCapabilities.All;

    /// <inheritdoc />
    public INetworkExecutor Compile(NetworkWeights weights, ExecutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentException($"MaxDegreeOfParallelism must be positive or -1; got {options.MaxDegreeOfParallelism}.", nameof(options));
        }

        return options.Precision switch
        {
            Precision.Float32 => new ManagedExecutor<float>(weights, options),
            Precision.Float64 => new ManagedExecutor<double>(weights, options),
            _ => throw new ArgumentException($"Unknown precision {options.Precision}.", nameof(options)),
        };
    }
}
