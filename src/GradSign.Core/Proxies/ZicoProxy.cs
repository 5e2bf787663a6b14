using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Data;
using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>
/// ZiCo (Li et al., ICLR 2023): the inverse coefficient of variation of the gradients,
/// <c>Σ_l log(Σ_k mean_p|g_pk| / std_p g_pk)</c> over the conv and linear weights l, where g_p is the gradient of
/// mini-batch p's mean cross-entropy (training-mode BatchNorm over that mini-batch) and the mean and the population
/// standard deviation run over the mini-batches (SLDGroup/ZiCo <c>ZeroShotProxy/compute_zico.py</c>
/// <c>getzico</c>/<c>caculate_zico</c>; AZ-NAS <c>NB201/ZeroShotProxy/compute_zico_score.py</c>).
/// </summary>
/// <remarks>
/// The batch is split into <see cref="ZicoOptions.Parts"/> consecutive equal mini-batches (the reference's loader
/// batches). Elements whose standard deviation is exactly zero are left out; a tensor whose sum is zero (every element
/// left out: a dead layer, whose gradients are all zero) adds nothing, so a network whose output ignores its weights
/// scores exactly 0. The per-element statistics round as NumPy's do in the gradients' precision (float32 unless
/// <see cref="ProxyContext.Precision"/> is float64); see <c>docs/proxies.md</c> on how strongly that matters.
/// </remarks>
public sealed class ZicoProxy : IZeroCostProxy, ISharedPassProxy
{
    private static readonly ProxyRequirements s_requirements = new(true, BackendCapabilities.None);

    /// <summary>Creates the proxy.</summary>
    /// <param name="options">Options; default <see cref="ZicoOptions.Default"/>.</param>
    public ZicoProxy(ZicoOptions? options = null) => Options = options ?? ZicoOptions.Default;

    /// <summary>The options.</summary>
    public ZicoOptions Options { get; }

    /// <inheritdoc />
    public string Id => ProxyIds.Zico;

    /// <inheritdoc />
    public ProxyRequirements Requirements => s_requirements;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The batch size is not a multiple of <see cref="ZicoOptions.Parts"/>.</exception>
    public ProxyScore Compute(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default)
        => SharedPass.Compute(this, weights, batch, context, cancellationToken);

    ExecutionOptions ISharedPassProxy.Prepare(NetworkWeights weights, Batch batch, ProxyContext context)
    {
        ProxyGuard.Validate(this, weights, batch, context);
        if (batch.Count % Options.Parts != 0)
        {
            throw new ArgumentException($"ZiCo splits the batch into {Options.Parts} equal parts; a batch of {batch.Count} samples is not a multiple of {Options.Parts}.", nameof(batch));
        }

        return context.ToExecutionOptions();
    }

    ProxyScore ISharedPassProxy.ComputeOn(INetworkExecutor network, NetworkWeights weights, Batch batch, CancellationToken cancellationToken)
        => network.Options.Precision == Precision.Float64
            ? Score<double>(weights.Spec, network, batch, Options.Parts, cancellationToken)
            : Score<float>(weights.Spec, network, batch, Options.Parts, cancellationToken);

    private ProxyScore Score<T>(NetworkSpec spec, INetworkExecutor network, Batch batch, int parts, CancellationToken cancellationToken)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var scored = ScoredTensors.Indices(spec);
        var position = new int[spec.Parameters.Count];
        var gradients = new T[scored.Length][];
        for (var i = 0; i < scored.Length; i++)
        {
            position[scored[i]] = i;
            gradients[i] = new T[parts * spec.Parameters[scored[i]].ElementCount];
        }

        var size = batch.Count / parts;
        for (var p = 0; p < parts; p++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var part = Part(batch, p * size, size);
            network.Backward(part, Objective.CrossEntropy, (parameter, gradient) =>
            {
                // Float32 gradients arrive widened exactly; narrowing gives them back bit for bit.
                var destination = gradients[position[parameter]].AsSpan(p * gradient.Length, gradient.Length);
                for (var k = 0; k < gradient.Length; k++)
                {
                    destination[k] = T.CreateTruncating(gradient[k]);
                }
            }, scored);
        }

        return Combine<T>(Id, gradients, parts);
    }

    /// <summary>The score from every scored tensor's part-major gradients (part p's element k at <c>p · elements + k</c>).</summary>
    internal static ProxyScore Combine<T>(string id, IReadOnlyList<T[]> gradients, int parts)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var perLayer = new double[gradients.Count];
        var total = 0.0;
        for (var i = 0; i < gradients.Count; i++)
        {
            var (sum, _) = ZicoMath.RatioSum<T>(gradients[i], parts, gradients[i].Length / parts);
            perLayer[i] = sum == 0 ? 0.0 : Math.Log(sum);
            total += perLayer[i];
        }

        return new ProxyScore(id, total, perLayer);
    }

    /// <summary>Samples <c>[start, start + count)</c> of <paramref name="batch"/> as a batch of their own.</summary>
    internal static Batch Part(Batch batch, int start, int count)
    {
        var size = batch.SampleSize;
        return new Batch(
            batch.Images[(start * size)..((start + count) * size)],
            batch.Labels![start..(start + count)],
            count,
            batch.Channels,
            batch.Height,
            batch.Width);
    }
}
