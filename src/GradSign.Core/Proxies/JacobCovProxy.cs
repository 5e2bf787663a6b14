using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>
/// jacob_cov (NASWOT v1; zero-cost-nas <c>measures/jacob_cov.py:22-57</c>): the input gradient J of the sum of all
/// logits over one training-mode batch ([B, C·H·W], taken as float32 like the reference), its row correlation matrix
/// <c>C = corrcoef(J)</c> (float64, NumPy semantics) and the score <c>−Σ_i [log(v_i + 1e-5) + 1/(v_i + 1e-5)]</c> over
/// the eigenvalues v of C. Returns NaN wherever the reference does (a zero-variance row, e.g. logits that do not
/// depend on the input; eigenvalues below −1e-5). Label-free.
/// </summary>
public sealed class JacobCovProxy : IZeroCostProxy, ISharedPassProxy
{
    private static readonly ProxyRequirements s_requirements = new(false, BackendCapabilities.InputGradients);

    /// <inheritdoc />
    public string Id => ProxyIds.JacobCov;

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
        => new(Id, JacobCovMath.Score(Correlation(network, batch)));

    /// <summary>The B×B correlation matrix of the per-sample input gradients that the score is computed from.</summary>
    /// <param name="weights">The network and its weights.</param>
    /// <param name="batch">The batch (labels not needed).</param>
    /// <param name="context">Backend and settings.</param>
    /// <param name="cancellationToken">Checked before the pass.</param>
    /// <returns>The correlation matrix; NaN rows and columns for zero-variance samples.</returns>
    public double[,] ComputeCorrelation(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default)
    {
        var options = ((ISharedPassProxy)this).Prepare(weights, batch, context);
        cancellationToken.ThrowIfCancellationRequested();
        using var network = context.Backend.Compile(weights, options);
        return Correlation(network, batch);
    }

    private double[,] Correlation(INetworkExecutor network, Batch batch)
    {
        var result = network.Backward(batch, Objective.SumOfLogits, inputGradient: true);
        var j = result.InputGradient
            ?? throw new InvalidOperationException("The backend returned no input gradient although one was requested.");
        if (j.Length != batch.Count * batch.SampleSize)
        {
            throw new InvalidOperationException($"The input gradient has {j.Length} values; the batch has {batch.Count * batch.SampleSize}.");
        }

        // The reference hands the float32 gradient to NumPy; round a float64 pipeline's values the same way only
        // when running in float32, so that a float64 run reproduces the oracle's float64 pipeline.
        var float32 = network.Options.Precision == Precision.Float32;
        var values = new double[j.Length];
        for (var i = 0; i < j.Length; i++)
        {
            values[i] = float32 ? (float)j[i] : j[i];
        }

        return JacobCovMath.Corrcoef(values, batch.Count, batch.SampleSize);
    }
}
