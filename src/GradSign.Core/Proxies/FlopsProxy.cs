using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>
/// Multiply-accumulates of one sample's forward pass through the conv and linear layers
/// (<see cref="NetworkCost.MultiplyAccumulates"/>: Σ_conv C_out·H_out·W_out·C_in·k² + Σ_linear in·out). A classic baseline; needs neither data nor a backend pass.
/// </summary>
public sealed class FlopsProxy : IZeroCostProxy
{
    private static readonly ProxyRequirements s_requirements = new(false, BackendCapabilities.None);

    /// <inheritdoc />
    public string Id => ProxyIds.Flops;

    /// <inheritdoc />
    public ProxyRequirements Requirements => s_requirements;

    /// <inheritdoc />
    public ProxyScore Compute(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default)
    {
        ProxyGuard.Validate(this, weights, batch, context);
        return new ProxyScore(Id, NetworkCost.MultiplyAccumulates(weights.Spec));
    }
}
