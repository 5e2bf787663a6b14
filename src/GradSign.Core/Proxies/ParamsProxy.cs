using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>
/// The number of parameter elements of the network (<see cref="NetworkCost.Parameters"/>: every tensor the
/// network uses, weights, biases and BatchNorm γ/β). A classic baseline; needs neither data nor a backend pass.
/// </summary>
public sealed class ParamsProxy : IZeroCostProxy
{
    private static readonly ProxyRequirements s_requirements = new(false, BackendCapabilities.None);

    /// <inheritdoc />
    public string Id => ProxyIds.Params;

    /// <inheritdoc />
    public ProxyRequirements Requirements => s_requirements;

    /// <inheritdoc />
    public ProxyScore Compute(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default)
    {
        ProxyGuard.Validate(this, weights, batch, context);
        return new ProxyScore(Id, NetworkCost.Parameters(weights.Spec));
    }
}
