using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>
/// A zero-cost proxy: scores an untrained network from one mini-batch (or none) without training it.
/// Implementations see only the backend seam (<see cref="ITensorBackend"/>), never kernels.
/// </summary>
public interface IZeroCostProxy
{
    /// <summary>Stable lower-case id used in result files and on the command line, e.g. <c>gradsign</c>.</summary>
    string Id { get; }

    /// <summary>What the proxy needs from the batch and the backend.</summary>
    ProxyRequirements Requirements { get; }

    /// <summary>Scores a network. The weights are not modified.</summary>
    /// <param name="weights">The network and its (initial) weights.</param>
    /// <param name="batch">The mini-batch (labels needed when <see cref="ProxyRequirements.NeedsLabels"/>).</param>
    /// <param name="context">Backend and execution settings.</param>
    /// <param name="cancellationToken">Checked between coarse steps (samples, passes), never inside kernels.</param>
    /// <returns>The score; non-finite values are returned, not thrown.</returns>
    /// <exception cref="NotSupportedException">The backend lacks a capability the proxy needs (both are named).</exception>
    ProxyScore Compute(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default);
}

/// <summary>What a proxy needs.</summary>
/// <param name="NeedsLabels">Whether the batch must carry labels.</param>
/// <param name="Capabilities">Backend capabilities used.</param>
public sealed record ProxyRequirements(bool NeedsLabels, BackendCapabilities Capabilities);

/// <summary>A proxy's score of one architecture.</summary>
/// <param name="ProxyId">The proxy's id.</param>
/// <param name="Value">The score (higher predicts better).</param>
/// <param name="PerLayer">Contribution of each scored tensor (conv/linear weights in spec order), when the proxy is a sum over them.</param>
public sealed record ProxyScore(string ProxyId, double Value, IReadOnlyList<double>? PerLayer = null)
{
    /// <summary>What computing it cost: the wall time measured by a runner, or recorded in a score table; zero when unknown.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>The members' scores when the proxy is a <see cref="ProxyEnsemble"/> (whose own value is NaN); otherwise null.</summary>
    public IReadOnlyList<ProxyScore>? Members { get; init; }
}

/// <summary>Settings shared by every proxy evaluation. Immutable.</summary>
/// <param name="Backend">The backend that compiles networks.</param>
public sealed record ProxyContext(ITensorBackend Backend)
{
    /// <summary>Threads a backend may use; −1 = all cores.</summary>
    /// <exception cref="ArgumentOutOfRangeException">0 or below −1.</exception>
    public int MaxDegreeOfParallelism { get; init => field = ExecutionOptions.CheckParallelism(value, nameof(MaxDegreeOfParallelism)); } = -1;

    /// <summary>
    /// Precision of the proxies that follow the references' float32 pipeline (every proxy except SynFlow, which
    /// always runs in float64). <see cref="Backends.Precision.Float64"/> needs <see cref="BackendCapabilities.Float64"/>
    /// and reproduces the oracles' <c>value_f64</c> pipeline.
    /// </summary>
    public Precision Precision { get; init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Precision), value, $"Precision {value} is not defined."); } = Precision.Float32;

    /// <summary>Execution options for the proxies' compiled networks: <see cref="Precision"/> and <see cref="MaxDegreeOfParallelism"/>.</summary>
    /// <returns>New options; callers change BatchNorm mode or transform with <c>with</c>.</returns>
    public ExecutionOptions ToExecutionOptions() => new()
    {
        Precision = Precision,
        MaxDegreeOfParallelism = MaxDegreeOfParallelism,
    };
}
