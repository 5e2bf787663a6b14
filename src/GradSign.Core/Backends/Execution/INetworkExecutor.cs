using GradSign.Networks;

namespace GradSign.Backends.Execution;

/// <summary>
/// A compiled network: what a backend implements and what proxies call. All BatchNorms run in training mode. Bulk results are delivered as float64 whatever the
/// precision, aligned with <see cref="NetworkSpec.Parameters"/>.
/// </summary>
/// <threadsafety>Not thread-safe: one call at a time. Compile one executor per thread.</threadsafety>
public interface INetworkExecutor : IDisposable
{
    /// <summary>The compiled network.</summary>
    NetworkSpec Spec { get; }

    /// <summary>The options it was compiled with.</summary>
    ExecutionOptions Options { get; }

    /// <summary>Forward pass with batch statistics.</summary>
    /// <param name="batch">Input batch.</param>
    /// <param name="logits">Destination, batch.Count × NumClasses, row-major.</param>
    void Forward(Batch batch, Span<double> logits);

    /// <summary>One forward and backward pass of the batch.</summary>
    /// <param name="batch">Input batch (labels required for <see cref="Objective.CrossEntropy"/>).</param>
    /// <param name="objective">The scalar to differentiate.</param>
    /// <param name="inputGradient">Also return the gradient with respect to the input (capability <see cref="BackendCapabilities.InputGradients"/>).</param>
    /// <returns>The objective's value and its gradients.</returns>
    GradientResult Backward(Batch batch, Objective objective, bool inputGradient = false);

    /// <summary>
    /// One forward and backward pass that hands each wanted parameter's gradient to <paramref name="handler"/> instead of
    /// returning new arrays: for proxies that only reduce the gradients (Σ|θ·g|, ‖g‖), nothing the size of the network is
    /// allocated per call. The default implementation delegates to <see cref="Backward(Batch, Objective, bool)"/>.
    /// </summary>
    /// <param name="batch">Input batch (labels required for <see cref="Objective.CrossEntropy"/>).</param>
    /// <param name="objective">The scalar to differentiate.</param>
    /// <param name="handler">Called once per wanted parameter, in spec order; the span is valid only during the call.</param>
    /// <param name="parameters">The parameters whose gradients are wanted (null: all); a backend may skip the others'
    /// work (the managed backend does: a weights-only proxy saves the bias and BatchNorm reductions).</param>
    /// <returns>The objective's value.</returns>
    double Backward(Batch batch, Objective objective, ParameterGradientHandler handler, IReadOnlyList<int>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var wanted = ParameterSubset.Mask(Spec, parameters);
        var result = Backward(batch, objective);
        for (var p = 0; p < result.ParameterGradients.Length; p++)
        {
            if (wanted[p])
            {
                handler(p, result.ParameterGradients[p]);
            }
        }

        return result.Value;
    }

    /// <summary>
    /// Cross-entropy gradients of every sample computed as if that sample were forwarded alone (batch of one:
    /// BatchNorm statistics over its own H×W), delivered one sample at a time so memory stays O(parameters).
    /// Samples are delivered in order 0..Count−1.
    /// </summary>
    /// <param name="batch">Labelled batch.</param>
    /// <param name="handler">Called once per sample with that sample's gradients (valid only during the call).</param>
    /// <param name="cancellationToken">Checked between samples.</param>
    /// <exception cref="NotSupportedException">The backend lacks <see cref="BackendCapabilities.PerSampleGradients"/> (the default).</exception>
    void PerSampleGradients(Batch batch, PerSampleGradientHandler handler, CancellationToken cancellationToken = default)
        => throw Unsupported(BackendCapabilities.PerSampleGradients);

    /// <summary>
    /// GradSign's sign votes of the per-sample gradients of <see cref="PerSampleGradients"/> (same capability): for each
    /// requested parameter element k, <c>votes[k] = Σ_i sign(∂ℓ_i/∂θ[k])</c> (<c>sign(±0) = 0</c>) and <c>nanFlags[k] ≠ 0</c>
    /// where some sample's gradient was NaN. A backend can fuse the reduction into its per-sample pass (the managed
    /// backend votes on its float32 gradients on every core and never converts or stores them); the default
    /// implementation streams <see cref="PerSampleGradients"/>.
    /// </summary>
    /// <param name="batch">Labelled batch.</param>
    /// <param name="parameters">Indices of the parameters to count, distinct, in any order.</param>
    /// <param name="handler">Called once per requested parameter, in the order requested, after all samples.</param>
    /// <param name="cancellationToken">Checked between samples.</param>
    void PerSampleGradientSignVotes(Batch batch, IReadOnlyList<int> parameters, SignVoteHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ParameterSubset.Check(Spec, parameters);
        var votes = parameters.Select(p => new int[Spec.Parameters[p].ElementCount]).ToArray();
        var nanFlags = parameters.Select(p => new int[Spec.Parameters[p].ElementCount]).ToArray();
        PerSampleGradients(
            batch,
            (_, gradients) =>
            {
                for (var i = 0; i < votes.Length; i++)
                {
                    SignAccumulator.Accumulate<double>(gradients[parameters[i]], votes[i], nanFlags[i]);
                }
            },
            cancellationToken);
        for (var i = 0; i < votes.Length; i++)
        {
            handler(parameters[i], votes[i], nanFlags[i]);
        }
    }

    /// <summary>
    /// Exact Hessian-vector product H·v of the objective over the batch with respect to the parameters, including
    /// second derivatives through training-mode BatchNorm (ReLU'' = 0).
    /// </summary>
    /// <param name="batch">Input batch.</param>
    /// <param name="objective">The scalar whose Hessian is used.</param>
    /// <param name="vector">One array per parameter (null = zero direction for that parameter).</param>
    /// <returns>H·v, one array per parameter.</returns>
    /// <exception cref="NotSupportedException">The backend lacks <see cref="BackendCapabilities.HessianVectorProducts"/> (the default).</exception>
    double[][] HessianVectorProduct(Batch batch, Objective objective, IReadOnlyList<double[]?> vector)
        => throw Unsupported(BackendCapabilities.HessianVectorProducts);

    /// <summary>
    /// Forward pass delivering, for every <see cref="ReluLayer"/> in layer order, the binary code (input &gt; 0) of
    /// each sample, bit-packed.
    /// </summary>
    /// <param name="batch">Input batch.</param>
    /// <param name="handler">Called once per ReLU layer.</param>
    /// <exception cref="NotSupportedException">The backend lacks <see cref="BackendCapabilities.ReluCodes"/> (the default).</exception>
    void ReluCodes(Batch batch, ReluCodeHandler handler)
        => throw Unsupported(BackendCapabilities.ReluCodes);

    /// <summary>
    /// One forward/backward of the objective delivering, for every conv and linear layer in layer order,
    /// <c>s[n, k] = Σ_{h,w} a[n,k,h,w] · ∂L/∂a[n,k,h,w]</c> where <c>a</c> is the layer's output before anything
    /// that follows it (fisher).
    /// </summary>
    /// <param name="batch">Input batch.</param>
    /// <param name="objective">The scalar to differentiate.</param>
    /// <returns>One entry per conv/linear layer, in layer order.</returns>
    /// <exception cref="NotSupportedException">The backend lacks <see cref="BackendCapabilities.OutputSaliencies"/> (the default).</exception>
    IReadOnlyList<LayerSaliency> OutputSaliencies(Batch batch, Objective objective)
        => throw Unsupported(BackendCapabilities.OutputSaliencies);

    /// <summary>
    /// One forward pass with batch statistics, as <see cref="Forward"/>, delivering the outputs of the requested layers
    /// (Zen-score reads the map that enters global average pooling and the inputs of the BatchNorms). A BatchNorm the
    /// options remove outputs its input.
    /// </summary>
    /// <param name="batch">Input batch.</param>
    /// <param name="layers">Indices of the wanted layers in <see cref="NetworkSpec.Layers"/>, distinct, in any order.</param>
    /// <param name="handler">Called once per wanted layer, in increasing layer order, with <c>batch.Count</c> × the layer's
    /// per-sample size values (NCHW, or [batch, features]); the span is valid only during the call.</param>
    /// <exception cref="NotSupportedException">The backend lacks <see cref="BackendCapabilities.LayerOutputs"/> (the default).</exception>
    void LayerOutputs(Batch batch, IReadOnlyList<int> layers, LayerOutputHandler handler)
        => throw Unsupported(BackendCapabilities.LayerOutputs);

    /// <summary>The error of a capability-gated member a backend does not implement.</summary>
    private NotSupportedException Unsupported(BackendCapabilities capability)
        => new($"This network's backend does not support {capability} (capability BackendCapabilities.{capability}); choose a backend that lists it in ITensorBackend.Capabilities.");
}
