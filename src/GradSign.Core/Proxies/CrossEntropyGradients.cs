using GradSign.Backends;
using GradSign.Data;
using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>
/// The one batched forward/backward of the mean cross-entropy that the gradient-magnitude proxies (SNIP, grad_norm)
/// are built on; compiles the network for the call and releases it before the score is reduced.
/// </summary>
internal static class CrossEntropyGradients
{
    /// <summary>d(mean batch cross-entropy)/d(parameter) for every parameter, in the context's precision.</summary>
    public static GradientResult Compute(NetworkWeights weights, Batch batch, ProxyContext context)
    {
        using var network = context.Backend.Compile(weights, context.ToExecutionOptions());
        return network.Backward(batch, Objective.CrossEntropy);
    }
}
