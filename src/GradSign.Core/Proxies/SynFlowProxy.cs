using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>
/// SynFlow (Tanaka et al., 2020) as zero-cost-nas computes it (<c>measures/synflow.py:22-67</c>): every parameter
/// replaced by |θ|, float64, one all-ones input <c>[1, C, H, W]</c>, <c>R = Σ logits</c>, score
/// <c>Σ_k |θ_k · ∂R/∂θ_k|</c> over the conv and linear weights. Data-free: the batch only fixes the input shape.
/// </summary>
public sealed class SynFlowProxy : IZeroCostProxy, ISharedPassProxy
{
    private static readonly ProxyRequirements s_requirements = new(false, BackendCapabilities.Float64);

    /// <summary>Creates the proxy.</summary>
    /// <param name="options">Options; default <see cref="SynFlowOptions.Default"/>.</param>
    public SynFlowProxy(SynFlowOptions? options = null) => Options = options ?? SynFlowOptions.Default;

    /// <summary>The options.</summary>
    public SynFlowOptions Options { get; }

    /// <inheritdoc />
    public string Id => ProxyIds.SynFlow;

    /// <inheritdoc />
    public ProxyRequirements Requirements => s_requirements;

    /// <inheritdoc />
    public ProxyScore Compute(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default)
        => SharedPass.Compute(this, weights, batch, context, cancellationToken);

    ExecutionOptions ISharedPassProxy.Prepare(NetworkWeights weights, Batch batch, ProxyContext context)
    {
        ProxyGuard.Validate(this, weights, batch, context);
        return context.ToExecutionOptions() with
        {
            Precision = Precision.Float64,
            ParameterTransform = ParameterTransform.Absolute,
            BatchNormMode = Options.BatchNormMode,
        };
    }

    ProxyScore ISharedPassProxy.ComputeOn(INetworkExecutor network, NetworkWeights weights, Batch batch, CancellationToken cancellationToken)
    {
        var ones = new float[batch.SampleSize];
        Array.Fill(ones, 1f);
        var input = new Batch(ones, null, 1, batch.Channels, batch.Height, batch.Width);
        var score = ScoredTensors.SumOverGradients(Id, weights, network, input, Objective.SumOfLogits, ProductSums.AbsoluteProduct);
        return Options.LogScaled ? score with { Value = LogScale(score.Value) } : score;
    }

    /// <summary>NASLib's transform: non-finite → −1e8, then sign-preserving natural log (0 stays 0).</summary>
    /// <param name="score">The raw score.</param>
    /// <returns>The transformed score.</returns>
    public static double LogScale(double score)
    {
        if (!double.IsFinite(score))
        {
            score = -1e8;
        }

        return score > 0 ? Math.Log(score) : score < 0 ? -Math.Log(-score) : 0.0;
    }
}
