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

    ExecutionOptions ISharedPassProxy.Prepare(NetworkWeights weights, Batch batch, ProxyContext context)
    {
        ProxyGuard.Validate(this, weights, batch, context);
        return context.ToExecutionOptions();
    }

    ProxyScore ISharedPassProxy.ComputeOn(INetworkExecutor network, NetworkWeights weights, Batch batch, CancellationToken cancellationToken)
        => ScoreOf(CountVotes(network, weights, batch, cancellationToken));

    /// <summary>This proxy's score from a vote pass (the sum and the mean of one network share it).</summary>
    internal ProxyScore ScoreOf(SignVotes votes)
    {
        var value = Options.Aggregation switch
        {
            GradSignAggregation.Mean => votes.Counted == 0 ? double.NaN : (double)votes.Total / votes.Counted,
            _ => votes.Total,
        };
        return new ProxyScore(Id, value, [.. votes.PerLayer]);
    }

    /// <summary>One per-sample pass: <c>|Σ_i sign|</c> summed over every scored weight and per scored tensor, and the
    /// number of weights a mean divides by.</summary>
    internal static SignVotes CountVotes(INetworkExecutor network, NetworkWeights weights, Batch batch, CancellationToken cancellationToken)
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
        return new SignVotes(total, kept + weights.Spec.UnexecutedScoredElements, perLayer);
    }

    /// <summary>What a vote pass counts.</summary>
    /// <param name="Total"><c>Σ_k |Σ_i sign(g_ik)|</c> over the scored weights whose gradients are never NaN.</param>
    /// <param name="Counted">The weights a mean divides by.</param>
    /// <param name="PerLayer">The total per scored tensor.</param>
    internal readonly record struct SignVotes(long Total, long Counted, double[] PerLayer);
}
