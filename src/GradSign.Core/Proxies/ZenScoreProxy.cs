using System.Numerics.Tensors;
using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Data;
using GradSign.Internal;
using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>
/// Zen-score (Lin et al., ICCV 2021) as idstcv/ZenNAS computes it (<c>ZeroShotProxy/compute_zen_score.py</c>
/// <c>compute_nas_score</c>; NASLib <c>measures/zen.py</c> and AZ-NAS port it to NAS-Bench-201 unchanged): the network
/// is re-initialised with N(0, 1) conv and linear weights (biases 0, BatchNorm γ = 1, β = 0), two Gaussian inputs
/// x and ε are drawn, and with f the feature map entering global average pooling (training-mode BatchNorm),
/// <c>Zen = log(mean_n Σ_{c,h,w} |f(x) − f(x + γε)|) + Σ_BN log √(mean_c running_var)</c>, where every BatchNorm's
/// running variance is updated by both forwards (momentum 0.1, unbiased batch variance, starting at 1).
/// </summary>
/// <remarks>
/// <para>The data in the batch are not used: only its size and image shape. The weights given are replaced by the
/// Gaussian ones (their bits seed the draws unless <see cref="ZenScoreOptions.Seed"/> is set). Label-free.</para>
/// <para>Every BatchNorm of the network counts. The reference loops over BatchNorm modules and raises on those built
/// without running statistics, which zero-cost-nas's and NASLib's NAS-Bench-201 cells are; here they count as AZ-NAS's
/// NAS-Bench-201 network (all statistics tracked) has them count. A network whose pooled map does not depend on its
/// input (all-<c>none</c> cells) scores −∞ (log 0), as the reference does.</para>
/// </remarks>
public sealed class ZenScoreProxy : IZeroCostProxy
{
    /// <summary>PyTorch's BatchNorm momentum, which the references never change.</summary>
    private const double Momentum = 0.1;

    private static readonly ProxyRequirements s_requirements = new(false, BackendCapabilities.LayerOutputs);

    /// <summary>Creates the proxy.</summary>
    /// <param name="options">Options; default <see cref="ZenScoreOptions.Default"/>.</param>
    public ZenScoreProxy(ZenScoreOptions? options = null) => Options = options ?? ZenScoreOptions.Default;

    /// <summary>The options.</summary>
    public ZenScoreOptions Options { get; }

    /// <inheritdoc />
    public string Id => ProxyIds.Zen;

    /// <inheritdoc />
    public ProxyRequirements Requirements => s_requirements;

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The network has no single global average pooling layer.</exception>
    public ProxyScore Compute(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default)
    {
        ProxyGuard.Validate(this, weights, batch, context);
        var spec = weights.Spec;
        var plan = ZenLayers.Of(spec);
        var rng = new SplitMix64(Options.Seed ?? SeedOf(weights));
        var float32 = context.Precision == Precision.Float32;
        var runningVariance = plan.BatchNorms.Select(bn => Enumerable.Repeat(1.0, bn.Channels).ToArray()).ToArray();
        var total = 0.0;
        for (var r = 0; r < Options.Repeats; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var gaussian = GaussianWeights(spec, rng);
            var x = Draw(rng, batch.Count * batch.SampleSize);
            var noise = Draw(rng, x.Length);
            var gamma = (float)Options.MixupGamma;
            var mixed = new float[x.Length];
            for (var i = 0; i < x.Length; i++)
            {
                mixed[i] = x[i] + (gamma * noise[i]); // float32, as the reference forms it
            }

            using var network = context.Backend.Compile(gaussian, context.ToExecutionOptions());
            var clean = Forward(network, plan, Like(batch, x), runningVariance, float32);
            var perturbed = Forward(network, plan, Like(batch, mixed), runningVariance, float32);
            TensorPrimitives.Subtract(clean, perturbed, clean);
            var delta = TensorPrimitives.SumOfMagnitudes<double>(clean) / batch.Count;
            var scaling = 0.0;
            foreach (var variance in runningVariance)
            {
                scaling += Math.Log(Math.Sqrt(variance.Average()));
            }

            total += Math.Log(delta) + scaling;
        }

        return new ProxyScore(Id, total / Options.Repeats);
    }

    /// <summary>
    /// Zen's re-initialisation: every conv and linear weight N(0, 1) (drawn in parameter order), biases 0, BatchNorm
    /// γ = 1 and β = 0 (ZenNAS <c>network_weight_gaussian_init</c>).
    /// </summary>
    internal static NetworkWeights GaussianWeights(NetworkSpec spec, SplitMix64 rng)
    {
        var values = new float[spec.Parameters.Count][];
        foreach (var p in spec.Parameters)
        {
            values[p.Index] = p.Kind switch
            {
                ParameterKind.ConvWeight or ParameterKind.LinearWeight => Draw(rng, p.ElementCount),
                ParameterKind.BatchNormWeight => Enumerable.Repeat(1f, p.ElementCount).ToArray(),
                _ => new float[p.ElementCount],
            };
        }

        return new NetworkWeights(spec, values);
    }

    /// <summary><paramref name="count"/> N(0, 1) draws rounded to float32.</summary>
    internal static float[] Draw(SplitMix64 rng, int count)
    {
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)rng.NextGaussian();
        }

        return values;
    }

    private static Batch Like(Batch batch, float[] images) => new(images, null, batch.Count, batch.Channels, batch.Height, batch.Width);

    /// <summary>One forward: returns the pooled map's input and updates every BatchNorm's running variance.</summary>
    private static double[] Forward(INetworkExecutor network, ZenLayers plan, Batch batch, double[][] runningVariance, bool float32)
    {
        double[]? map = null;
        network.LayerOutputs(batch, plan.Requested, (layer, values) =>
        {
            if (layer == plan.PreGap)
            {
                map = values.ToArray();
            }

            foreach (var b in plan.ReadersOf(layer))
            {
                var bn = plan.BatchNorms[b];
                UpdateRunningVariance(values, batch.Count, bn.Channels, bn.OutputShape[1] * bn.OutputShape[2], runningVariance[b], float32);
            }
        });
        return map ?? throw new InvalidOperationException("The backend did not deliver the pooled feature map.");
    }

    /// <summary>
    /// <c>running_var ← (1 − m)·running_var + m·unbiased batch variance</c> per channel, as PyTorch updates it (in float64,
    /// stored in the buffer's precision).
    /// </summary>
    private static void UpdateRunningVariance(ReadOnlySpan<double> input, int count, int channels, int spatial, double[] runningVariance, bool float32)
    {
        var n = count * spatial;
        var centred = new double[spatial];
        for (var c = 0; c < channels; c++)
        {
            // Two passes (mean, then squared deviations), each over the channel's contiguous H×W slice of every sample.
            var sum = 0.0;
            for (var s = 0; s < count; s++)
            {
                sum += TensorPrimitives.Sum(input.Slice(((s * channels) + c) * spatial, spatial));
            }

            var mean = sum / n;
            var squares = 0.0;
            for (var s = 0; s < count; s++)
            {
                TensorPrimitives.Subtract(input.Slice(((s * channels) + c) * spatial, spatial), mean, centred);
                squares += TensorPrimitives.SumOfSquares<double>(centred);
            }

            var updated = (Momentum * (squares / (n - 1))) + ((1 - Momentum) * runningVariance[c]);
            runningVariance[c] = float32 ? (float)updated : updated;
        }
    }

    /// <summary>A seed from the weights' bits (FNV-1a over every value), so each initialisation draws its own numbers.</summary>
    private static ulong SeedOf(NetworkWeights weights)
    {
        var hash = 14695981039346656037UL;
        for (var p = 0; p < weights.Spec.Parameters.Count; p++)
        {
            foreach (var v in weights[p])
            {
                hash = (hash ^ BitConverter.SingleToUInt32Bits(v)) * 1099511628211UL;
            }
        }

        return hash;
    }

    /// <summary>The layers Zen reads: the input of the global average pool, and every BatchNorm with its input layer.</summary>
    private sealed class ZenLayers
    {
        private readonly Dictionary<int, List<int>> _readers = [];

        private ZenLayers(int preGap, IReadOnlyList<BatchNormLayer> batchNorms)
        {
            PreGap = preGap;
            BatchNorms = batchNorms;
            for (var b = 0; b < batchNorms.Count; b++)
            {
                var input = batchNorms[b].Inputs[0];
                if (!_readers.TryGetValue(input, out var list))
                {
                    _readers[input] = list = [];
                }

                list.Add(b);
            }

            Requested = [.. _readers.Keys.Append(preGap).Distinct()];
        }

        /// <summary>The layer whose output enters global average pooling.</summary>
        public int PreGap { get; }

        /// <summary>Every BatchNorm, in layer order.</summary>
        public IReadOnlyList<BatchNormLayer> BatchNorms { get; }

        /// <summary>The layers to read.</summary>
        public int[] Requested { get; }

        /// <summary>Indices (into <see cref="BatchNorms"/>) of the BatchNorms reading layer <paramref name="layer"/>.</summary>
        public IEnumerable<int> ReadersOf(int layer) => _readers.TryGetValue(layer, out var list) ? list : [];

        public static ZenLayers Of(NetworkSpec spec)
        {
            var pools = spec.Layers.OfType<GlobalAvgPoolLayer>().ToList();
            if (pools.Count != 1)
            {
                throw new NotSupportedException($"Zen-score reads the feature map before global average pooling; the network has {pools.Count} global average pooling layers, not 1.");
            }

            return new ZenLayers(pools[0].Inputs[0], [.. spec.Layers.OfType<BatchNormLayer>()]);
        }
    }
}
