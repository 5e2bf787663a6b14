using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Data;
using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>
/// A proxy whose work can run on a network compiled by someone else: <see cref="SharedPassSchedule"/> compiles one
/// network per distinct <see cref="ExecutionOptions"/> and runs every member that uses those options on it (a backend
/// that keeps the last batch-statistics forward, as the managed one does, then runs it once for all of them).
/// </summary>
internal interface ISharedPassProxy : IZeroCostProxy
{
    /// <summary>Checks the arguments as <see cref="IZeroCostProxy.Compute"/> does and returns the options to compile with.</summary>
    ExecutionOptions Prepare(NetworkWeights weights, Batch batch, ProxyContext context);

    /// <summary>The proxy's work on <paramref name="network"/>, compiled from <paramref name="weights"/> with <see cref="Prepare"/>'s options.</summary>
    ProxyScore ComputeOn(INetworkExecutor network, NetworkWeights weights, Batch batch, CancellationToken cancellationToken);
}

/// <summary>
/// A proxy that is a sum over the scored tensors of a reduction of one batch gradient (SNIP, grad_norm): a shared
/// schedule computes the gradient once and hands each tensor to every such member.
/// </summary>
internal interface IGradientReductionProxy : ISharedPassProxy
{
    /// <summary>The objective whose gradient is reduced.</summary>
    Objective Objective { get; }

    /// <summary>The per-tensor reduction.</summary>
    TensorReduction Reduction { get; }
}

/// <summary>Runs an <see cref="ISharedPassProxy"/> on its own network.</summary>
internal static class SharedPass
{
    /// <summary>Prepare, compile, compute, dispose: what <see cref="IZeroCostProxy.Compute"/> does alone.</summary>
    public static ProxyScore Compute(ISharedPassProxy proxy, NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken)
    {
        var options = proxy.Prepare(weights, batch, context);
        cancellationToken.ThrowIfCancellationRequested();
        using var network = context.Backend.Compile(weights, options);
        return proxy.ComputeOn(network, weights, batch, cancellationToken);
    }
}
