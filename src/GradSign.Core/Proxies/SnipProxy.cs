using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>
/// SNIP (Lee et al., 2019) as zero-cost-nas computes it (<c>measures/snip.py:28-69</c>): one batched forward/backward
/// of the mean cross-entropy (training-mode BatchNorm), score <c>Σ_k |θ_k · ∂L/∂θ_k|</c> over the conv and linear weights.
/// </summary>
public sealed class SnipProxy : IZeroCostProxy, IGradientReductionProxy
{
    private static readonly ProxyRequirements s_requirements = new(true, BackendCapabilities.None);

    /// <inheritdoc />
    public string Id => ProxyIds.Snip;

    /// <inheritdoc />
    public ProxyRequirements Requirements => s_requirements;

    /// <inheritdoc />
    public ProxyScore Compute(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default)
        => SharedPass.Compute(this, weights, batch, context, cancellationToken);

    Objective IGradientReductionProxy.Objective => Objective.CrossEntropy;

    TensorReduction IGradientReductionProxy.Reduction => ProductSums.AbsoluteProduct;

    ExecutionOptions ISharedPassProxy.Prepare(NetworkWeights weights, Batch batch, ProxyContext context)
    {
        ProxyGuard.Validate(this, weights, batch, context);
        return context.ToExecutionOptions();
    }

    ProxyScore ISharedPassProxy.ComputeOn(INetworkExecutor network, NetworkWeights weights, Batch batch, CancellationToken cancellationToken)
        => ScoredTensors.SumOverGradients(Id, weights, network, batch, Objective.CrossEntropy, ProductSums.AbsoluteProduct);
}
