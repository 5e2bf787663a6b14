using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>
/// fisher as zero-cost-nas computes it (<c>measures/fisher.py:26-107</c>, channel mode): for every conv/linear layer
/// with output <c>a</c> (before anything that follows it) and <c>s_nk = Σ_{h,w} a·∂L/∂a</c>,
/// <c>fisher_k = ½ · mean_n s_nk²</c>; the layer contributes <c>fan_in · Σ_k |fisher_k|</c> (the reference broadcasts
/// each channel value over <c>weight.shape[1:]</c> before summing). The score is the sum over layers.
/// </summary>
public sealed class FisherProxy : IZeroCostProxy, ISharedPassProxy
{
    private static readonly ProxyRequirements s_requirements = new(true, BackendCapabilities.OutputSaliencies);

    /// <inheritdoc />
    public string Id => ProxyIds.Fisher;

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
        var saliencies = network.OutputSaliencies(batch, Objective.CrossEntropy);
        var spec = weights.Spec;
        var byWeight = new Dictionary<int, double>();
        foreach (var s in saliencies)
        {
            var p = spec.Parameters[s.Weight];
            byWeight[s.Weight] = p.FanIn * ChannelSum(s.Values, batch.Count, s.Channels);
        }

        // Layers the backend did not report (none in practice) contribute 0, as unused layers do in the reference.
        return ScoredTensors.Sum(Id, spec, p => byWeight.GetValueOrDefault(p));
    }

    /// <summary><c>Σ_k |½ · mean_n s[n,k]²|</c> for row-major <c>s[count, channels]</c>.</summary>
    /// <param name="saliency">The saliencies.</param>
    /// <param name="count">Samples.</param>
    /// <param name="channels">Channels.</param>
    /// <returns>The channel sum (without the fan-in factor).</returns>
    internal static double ChannelSum(ReadOnlySpan<double> saliency, int count, int channels)
    {
        if (saliency.Length != count * channels)
        {
            throw new InvalidOperationException($"The backend returned {saliency.Length} saliencies; {count} samples x {channels} channels need {count * channels}.");
        }

        var total = 0.0;
        for (var k = 0; k < channels; k++)
        {
            var squares = 0.0;
            for (var n = 0; n < count; n++)
            {
                var s = saliency[(n * channels) + k];
                squares += s * s;
            }

            total += Math.Abs(0.5 * (squares / count));
        }

        return total;
    }
}
