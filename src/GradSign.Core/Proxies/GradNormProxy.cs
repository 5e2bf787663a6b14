using System.Numerics.Tensors;
using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>
/// grad_norm as zero-cost-nas computes it (<c>measures/grad_norm.py:24-38</c>): one batched cross-entropy
/// forward/backward, score <c>Σ_l ‖∂L/∂W_l‖₂</c>, the Frobenius norm of each conv/linear weight gradient summed over
/// layers (not the norm of the concatenated gradient).
/// </summary>
public sealed class GradNormProxy : IZeroCostProxy, IGradientReductionProxy
{
    private static readonly ProxyRequirements s_requirements = new(true, BackendCapabilities.None);

    /// <inheritdoc />
    public string Id => ProxyIds.GradNorm;

    /// <inheritdoc />
    public ProxyRequirements Requirements => s_requirements;

    /// <inheritdoc />
    public ProxyScore Compute(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default)
        => SharedPass.Compute(this, weights, batch, context, cancellationToken);

    Objective IGradientReductionProxy.Objective => Objective.CrossEntropy;

    TensorReduction IGradientReductionProxy.Reduction => Norm;

    ExecutionOptions ISharedPassProxy.Prepare(NetworkWeights weights, Batch batch, ProxyContext context)
    {
        ProxyGuard.Validate(this, weights, batch, context);
        return context.ToExecutionOptions();
    }

    ProxyScore ISharedPassProxy.ComputeOn(INetworkExecutor network, NetworkWeights weights, Batch batch, CancellationToken cancellationToken)
        => ScoredTensors.SumOverGradients(Id, weights, network, batch, Objective.CrossEntropy, Norm);

    private static double Norm(ReadOnlySpan<float> theta, ReadOnlySpan<double> gradient) => TensorPrimitives.Norm(gradient);
}
