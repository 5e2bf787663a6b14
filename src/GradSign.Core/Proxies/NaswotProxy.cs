using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>
/// NASWOT (Mellor et al., ICML 2021, v2 <c>hook_logdet</c>; BayesWatch <c>score_networks.py:98-148</c>,
/// <c>scores.py:7-9</c>): one training-mode forward of the batch; at every ReLU the binary code <c>c = (input &gt; 0)</c>
/// of each sample adds <c>m · (c cᵀ + (1 − c)(1 − c)ᵀ)</c> to a B×B kernel K; score <c>log|det K|</c>
/// (<c>numpy.linalg.slogdet</c>, sign discarded). A singular K (for instance two samples with identical codes
/// everywhere) scores −∞. Label-free.
/// </summary>
public sealed class NaswotProxy : IZeroCostProxy, ISharedPassProxy
{
    private static readonly ProxyRequirements s_requirements = new(false, BackendCapabilities.ReluCodes);

    /// <summary>Creates the proxy.</summary>
    /// <param name="options">Options; default <see cref="NaswotOptions.Default"/>.</param>
    public NaswotProxy(NaswotOptions? options = null) => Options = options ?? NaswotOptions.Default;

    /// <summary>The options.</summary>
    public NaswotOptions Options { get; }

    /// <inheritdoc />
    public string Id => ProxyIds.Naswot;

    /// <inheritdoc />
    public ProxyRequirements Requirements => s_requirements;

    /// <inheritdoc />
    public ProxyScore Compute(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default)
        => SharedPass.Compute(this, weights, batch, context, cancellationToken);

    /// <summary>The kernel K (B×B, exact integers) that <see cref="Compute"/> takes the log-determinant of.</summary>
    /// <param name="weights">The network and its weights.</param>
    /// <param name="batch">The batch (labels not needed).</param>
    /// <param name="context">Backend and settings.</param>
    /// <param name="cancellationToken">Checked before the forward pass.</param>
    /// <returns>K as float64.</returns>
    public double[,] ComputeKernel(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default)
        => Accumulate(weights, batch, context, cancellationToken).ToMatrix();

    /// <summary>The multiplicity of a ReLU under <paramref name="multiplicity"/>.</summary>
    /// <param name="relu">The ReLU layer.</param>
    /// <param name="multiplicity">The rule.</param>
    /// <returns>2 for wrapper-named ReLUs under <see cref="NaswotReluMultiplicity.Reference"/>, else 1.</returns>
    public static int MultiplicityOf(ReluLayer relu, NaswotReluMultiplicity multiplicity)
    {
        ArgumentNullException.ThrowIfNull(relu);
        return multiplicity == NaswotReluMultiplicity.Reference && relu.WrapperNamedRelu ? 2 : 1;
    }

    ExecutionOptions ISharedPassProxy.Prepare(NetworkWeights weights, Batch batch, ProxyContext context)
    {
        ProxyGuard.Validate(this, weights, batch, context);
        return context.ToExecutionOptions();
    }

    ProxyScore ISharedPassProxy.ComputeOn(INetworkExecutor network, NetworkWeights weights, Batch batch, CancellationToken cancellationToken)
        => new(Id, Accumulate(network, batch).LogAbsDeterminant());

    private NaswotKernel Accumulate(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken)
    {
        var options = ((ISharedPassProxy)this).Prepare(weights, batch, context);
        cancellationToken.ThrowIfCancellationRequested();
        using var network = context.Backend.Compile(weights, options);
        return Accumulate(network, batch);
    }

    private NaswotKernel Accumulate(INetworkExecutor network, Batch batch)
    {
        var spec = network.Spec;
        var kernel = new NaswotKernel(batch.Count, network.Options.ThreadCount);
        var rule = Options.Multiplicity;
        network.ReluCodes(batch, (in ReluCodeBlock block) =>
        {
            if ((uint)block.Layer >= (uint)spec.Layers.Count || spec.Layers[block.Layer] is not ReluLayer relu)
            {
                throw new InvalidOperationException($"The backend delivered ReLU codes for layer {block.Layer}, which is not a ReLU layer.");
            }

            kernel.Add(block.Bits, block.Units, block.WordsPerSample, MultiplicityOf(relu, rule));
        });
        return kernel;
    }
}
