using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Tests.Proxies;

/// <summary>
/// A scripted backend for testing proxy logic without numerics: every executor method returns what the test set up
/// and records how it was called (compile options, batches, HVP directions).
/// </summary>
internal sealed class FakeBackend(BackendCapabilities capabilities = BackendCapabilities.All) : ITensorBackend
{
    public string Name => "fake";

    public BackendCapabilities Capabilities { get; } = capabilities;

    public List<ExecutionOptions> CompiledWith { get; } = [];

    public List<Batch> Batches { get; } = [];

    public List<NetworkWeights> CompiledWeights { get; } = [];

    public List<IReadOnlyList<double[]?>> HvpDirections { get; } = [];

    /// <summary>Batch gradients by objective: (weights, batch, objective) → per-parameter gradients.</summary>
    public Func<NetworkWeights, Batch, Objective, double[][]>? Gradients { get; set; }

    public Func<NetworkWeights, Batch, double[]>? InputGradient { get; set; }

    /// <summary>Per-sample gradients: sample → per-parameter gradients.</summary>
    public Func<NetworkWeights, int, double[][]>? SampleGradients { get; set; }

    public Func<NetworkWeights, IReadOnlyList<double[]?>, double[][]>? Hvp { get; set; }

    /// <summary>ReLU codes: list of (layer, units, bits).</summary>
    public Func<NetworkWeights, Batch, IReadOnlyList<(int Layer, int Units, ulong[] Bits)>>? Codes { get; set; }

    public Func<NetworkWeights, Batch, IReadOnlyList<LayerSaliency>>? Saliencies { get; set; }

    public int Disposed { get; set; }

    public INetworkExecutor Compile(NetworkWeights weights, ExecutionOptions options)
    {
        CompiledWith.Add(options);
        CompiledWeights.Add(weights);
        return new Executor(this, weights, options);
    }

    private sealed class Executor(FakeBackend owner, NetworkWeights weights, ExecutionOptions options) : INetworkExecutor
    {
        public NetworkSpec Spec => weights.Spec;

        public ExecutionOptions Options => options;

        public void Forward(Batch batch, Span<double> logits) => throw new NotSupportedException();

        public GradientResult Backward(Batch batch, Objective objective, bool inputGradient = false)
        {
            owner.Batches.Add(batch);
            var g = owner.Gradients?.Invoke(weights, batch, objective) ?? throw new InvalidOperationException("no gradients scripted");
            return new GradientResult(0, g, inputGradient ? owner.InputGradient!(weights, batch) : null);
        }

        public void PerSampleGradients(Batch batch, PerSampleGradientHandler handler, CancellationToken cancellationToken = default)
        {
            owner.Batches.Add(batch);
            for (var i = 0; i < batch.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                handler(i, owner.SampleGradients!(weights, i));
            }
        }

        public double[][] HessianVectorProduct(Batch batch, Objective objective, IReadOnlyList<double[]?> vector)
        {
            owner.HvpDirections.Add(vector);
            return owner.Hvp!(weights, vector);
        }

        public void ReluCodes(Batch batch, ReluCodeHandler handler)
        {
            owner.Batches.Add(batch);
            foreach (var (layer, units, bits) in owner.Codes!(weights, batch))
            {
                handler(new ReluCodeBlock(layer, units, (units + 63) / 64, bits));
            }
        }

        public IReadOnlyList<LayerSaliency> OutputSaliencies(Batch batch, Objective objective)
        {
            owner.Batches.Add(batch);
            return owner.Saliencies!(weights, batch);
        }

        public void Dispose() => owner.Disposed++;
    }
}

/// <summary>Tiny networks and batches for proxy tests.</summary>
internal static class TinyNetworks
{
    /// <summary>
    /// conv(3→2, 3×3, pad 1, bias) → BN → ReLU(wrapper-named) → conv(2→2, 1×1) → ReLU → GAP → linear(2→3).
    /// Parameters: 0 conv1.weight [2,3,3,3], 1 conv1.bias, 2 bn.weight, 3 bn.bias, 4 conv2.weight [2,2,1,1],
    /// 5 fc.weight [3,2], 6 fc.bias. Layers: 0 input, 1 conv1, 2 bn, 3 relu (wrapper), 4 conv2, 5 relu, 6 gap, 7 fc.
    /// </summary>
    public static NetworkSpec Spec()
    {
        var b = new NetworkBuilder(3, 4, 4);
        var x = b.Conv2d(NetworkBuilder.Input, 2, kernel: 3, padding: 1, bias: true, weightName: "conv1.weight");
        x = b.BatchNorm(x, "bn");
        x = b.Relu(x, "relu1", wrapperNamedRelu: true);
        x = b.Conv2d(x, 2, kernel: 1, weightName: "conv2.weight");
        x = b.Relu(x, "relu2");
        x = b.GlobalAvgPool(x);
        b.Linear(x, 3, "fc");
        return b.Build();
    }

    public static NetworkWeights Weights(ulong seed = 7) => NetworkWeights.Initialize(Spec(), seed);

    public static Batch Batch(int count = 4, bool labels = true)
    {
        var images = new float[count * 3 * 4 * 4];
        for (var i = 0; i < images.Length; i++)
        {
            images[i] = (float)Math.Sin(i * 0.37);
        }

        return new Batch(images, labels ? [.. Enumerable.Range(0, count).Select(i => i % 3)] : null, count, 3, 4, 4);
    }

    /// <summary>One array per parameter filled by <paramref name="value"/>(parameter, element).</summary>
    public static double[][] Fill(NetworkSpec spec, Func<int, int, double> value)
        => [.. spec.Parameters.Select(p => Enumerable.Range(0, p.ElementCount).Select(k => value(p.Index, k)).ToArray())];
}
