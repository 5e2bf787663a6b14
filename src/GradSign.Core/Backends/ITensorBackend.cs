using GradSign.Backends.Execution;
using GradSign.Networks;

namespace GradSign.Backends;

/// <summary>
/// Compiles backend-neutral <see cref="NetworkSpec"/>s with their weights into executable, differentiable networks.
/// This is the seam between the proxies and the numerics; the managed CPU backend is the default implementation.
/// </summary>
public interface ITensorBackend
{
    /// <summary>Stable name, e.g. <c>managed</c>.</summary>
    string Name { get; }

    /// <summary>What the networks this backend compiles can do.</summary>
    BackendCapabilities Capabilities { get; }

    /// <summary>Compiles a network. The weights are copied (and transformed per <paramref name="options"/>); later
    /// changes to <paramref name="weights"/> do not affect the compiled network.</summary>
    /// <param name="weights">Weights of the network to compile (their <see cref="NetworkWeights.Spec"/> is the network).</param>
    /// <param name="options">Precision, BatchNorm mode, parameter transform, parallelism.</param>
    /// <returns>A network owned by the caller; dispose it to release its buffers.</returns>
    /// <exception cref="NotSupportedException">The options need a capability this backend lacks (named in the message).</exception>
    INetworkExecutor Compile(NetworkWeights weights, ExecutionOptions options);
}
