using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>
/// GradSign (Zhang &amp; Jia, ICLR 2022): <c>τ = Σ_k |Σ_i sign(∂ℓ(x_i, y_i)/∂θ_k)|</c> over the conv and linear weights,
/// with per-sample gradients computed as if each sample were forwarded alone (BatchNorm over its own H×W), as the
/// reference loop with batch size 1 does (JackFram/GradSign <c>grad_conflict.py:28-71</c>).
/// </summary>
/// <remarks>
/// sign(±0) = 0; a weight whose gradient is NaN for any sample is dropped (<c>np.nansum</c>). Votes are counted in
/// one <see cref="int"/> per weight, so the score is exact and memory is O(parameters). The reference rounds its
/// final sum to float32; this returns the exact integer.
/// </remarks>
public sealed class GradSignProxy : IZeroCostProxy, ISharedPassProxy
{
    private static readonly ProxyRequirements s_requirements = new(true, BackendCapabilities.PerSampleGradients);

    /// <summary>Creates the proxy.</summary>
    /// <param name="options">Options; default <see cref="GradSignOptions.Default"/>.</param>
    public GradSignProxy(GradSignOptions? options = null) => Options = options ?? GradSignOptions.Default;

    /// <summary>The options.</summary>
    public GradSignOptions Options { get; }

    /// <summary><see cref="ProxyIds.GradSign"/>, or <see cref="ProxyIds.GradSignMean"/> for <see cref="GradSignAggregation.Mean"/> (the two rank differently, so result tables keep them apart).</summary>
    public string Id => Options.Aggregation == GradSignAggregation.Mean ? ProxyIds.GradSignMean : ProxyIds.GradSign;

    /// <inheritdoc />
    public ProxyRequirements Requirements => s_requirements;

    /// <inheritdoc />
    public ProxyScore Compute(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default)
        => SharedPass.Compute(this, weights, batch, context, cancellationToken);

    bool ISharedPassProxy.RunsPerSamplePasses => true;

    ExecutionOptions ISharedPassProxy.Prepare(NetworkWeights weights, Batch batch, ProxyContext context)
    {
        ProxyGuard.Validate(this, weights, batch, context);
        return context.ToExecutionOptions();
    }

    ProxyScore ISharedPassProxy.ComputeOn(INetworkExecutor network, NetworkWeights weights, Batch batch, CancellationToken cancellationToken)
    {
        var scored = ScoredTensors.Indices(weights.Spec);
        var perLayer = new double[scored.Length];
        long total = 0;
        long kept = 0;
        var t = 0;
        network.PerSampleGradientSignVotes(
            batch,
            scored,
            (_, votes, nanFlags) =>
            {
                var (sum, nans) = SignAccumulator.AbsoluteSum(votes, nanFlags);
                total += sum;
                kept += votes.Length - nans;
                perLayer[t++] = sum;
            },
            cancellationToken);

        // np.nanmean runs over the reference network's weights: those it instantiates but never executes have zero
        // gradients (no vote, never NaN) and still count.
        var counted = kept + weights.Spec.UnexecutedScoredElements;
        var value = Options.Aggregation switch
        {
            GradSignAggregation.Mean => counted == 0 ? double.NaN : (double)total / counted,
            _ => total,
        };
        return new ProxyScore(Id, value, perLayer);
    }
}
