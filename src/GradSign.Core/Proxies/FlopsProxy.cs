using GradSign.Backends;
using GradSign.Data;
using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>
/// Multiply-accumulates of one sample's forward pass through the conv and linear layers
/// (<see cref="CountMultiplyAccumulates"/>). A classic baseline; needs neither data nor a backend pass.
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
        return new ProxyScore(Id, CountMultiplyAccumulates(weights.Spec));
    }

    /// <summary>
    /// Σ over conv layers of <c>C_out·H_out·W_out·C_in·k²</c> plus Σ over linear layers of <c>in·out</c>, per sample.
    /// Biases, BatchNorm, pooling, additions and ReLUs are not counted.
    /// </summary>
    /// <param name="spec">The network.</param>
    /// <returns>The count.</returns>
    public static long CountMultiplyAccumulates(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        long total = 0;
        foreach (var layer in spec.Layers)
        {
            total += layer switch
            {
                Conv2dLayer c => (long)c.OutputShape[0] * c.OutputShape[1] * c.OutputShape[2] * c.InChannels * c.Kernel * c.Kernel,
                LinearLayer l => (long)l.InFeatures * l.OutFeatures,
                _ => 0,
            };
        }

        return total;
    }
}
