using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>
/// GraSP (Wang et al., 2020) as zero-cost-nas computes it (<c>measures/grasp.py:25-87</c>, T = 1, one iteration):
/// <c>g = ∂L/∂θ</c> (mean cross-entropy, training-mode BatchNorm), the exact Hessian-vector product <c>Hg</c> with
/// the direction g on the conv and linear weights only, score <c>Σ_k −θ_k · (Hg)_k</c> over those weights. No abs:
/// the sign of the score can be either.
/// </summary>
public sealed class GraspProxy : IZeroCostProxy, ISharedPassProxy
{
    private static readonly ProxyRequirements s_requirements = new(true, BackendCapabilities.HessianVectorProducts);

    /// <inheritdoc />
    public string Id => ProxyIds.Grasp;

    /// <inheritdoc />
    public ProxyRequirements Requirements => s_requirements;

    /// <inheritdoc />
    public ProxyScore Compute(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default)
        => SharedPass.Compute(this, weights, batch, context, cancellationToken);

    ExecutionOptions ISharedPassProxy.Prepare(NetworkWeights weights, Batch batch, ProxyContext context)
    {
        ProxyGuard.Validate(this, weights, batch, context);
        return context.ToExecutionOptions();
    }

    ProxyScore ISharedPassProxy.ComputeOn(INetworkExecutor network, NetworkWeights weights, Batch batch, CancellationToken cancellationToken)
    {
        var spec = weights.Spec;
        var g = network.Backward(batch, Objective.CrossEntropy).ParameterGradients;
        cancellationToken.ThrowIfCancellationRequested();

        // The reference contracts only over the weights it collects (conv/linear); other parameters get no direction.
        var direction = new double[]?[spec.Parameters.Count];
        foreach (var p in ScoredTensors.Indices(spec))
        {
            direction[p] = g[p];
        }

        var hg = network.HessianVectorProduct(batch, Objective.CrossEntropy, direction);
        return ScoredTensors.Sum(Id, spec, p => ProductSums.NegativeProduct(weights[p], hg[p]));
    }
}
