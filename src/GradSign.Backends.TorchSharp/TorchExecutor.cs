using GradSign.Backends.Execution;
using GradSign.Data;
using GradSign.Networks;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GradSign.Backends.TorchSharp;

/// <summary>
/// A network compiled for LibTorch: its parameters as leaf tensors (requiring gradients) on the backend's device in
/// the compiled precision, and the layer graph. Every pass runs inside its own dispose scope, so nothing but the
/// parameters outlives a call; results leave as .NET arrays.
/// </summary>
internal sealed partial class TorchExecutor : INetworkExecutor
{
    private readonly Tensor[] _parameters;
    private readonly TorchGraph _graph;
    private readonly Device _device;
    private readonly ScalarType _dtype;
    private readonly int _threads;
    private readonly PerSampleStrategy _perSample;
    private readonly long _perSampleBytes;
    private readonly bool _channelsLast;
    private bool _disposed;

    public TorchExecutor(NetworkWeights weights, ExecutionOptions options, Device device, PerSampleStrategy perSample, long perSampleBytes, bool channelsLast)
    {
        Spec = weights.Spec;
        Options = options;
        _device = device;
        _dtype = options.Precision == Precision.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        _threads = options.ThreadCount;
        _perSample = perSample;
        _perSampleBytes = perSampleBytes;
        _channelsLast = channelsLast;
        _graph = new TorchGraph(Spec, options.BatchNormMode);
        _parameters = new Tensor[Spec.Parameters.Count];
        using var scope = NewDisposeScope();
        foreach (var p in Spec.Parameters)
        {
            var t = TensorTransfer.From(weights[p.Index], [.. p.Shape.Select(d => (long)d)], _dtype, _device);
            if (options.ParameterTransform == ParameterTransform.Absolute)
            {
                t = t.abs();
            }

            if (channelsLast)
            {
                t = TensorTransfer.ChannelsLast(t);
            }

            _parameters[p.Index] = scope.Detach(t.requires_grad_(true));
        }
    }

    /// <inheritdoc />
    public NetworkSpec Spec { get; }

    /// <inheritdoc />
    public ExecutionOptions Options { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var p in _parameters)
        {
            p.Dispose();
        }
    }

    /// <summary>Checks the executor and sets LibTorch's intra-op thread count (and, on CUDA, true float32) for this thread's calls.</summary>
    private void Enter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // LibTorch's thread count is per process (OpenMP: per calling thread); set it before each call so that every
        // executor runs with its own options' degree.
        if (get_num_threads() != _threads)
        {
            set_num_threads(_threads);
        }

        // float32 means float32, as the references compute on a CPU: LibTorch lets cuDNN convolutions run in TF32 (a
        // 10-bit mantissa) on recent GPUs by default. Like the thread count, a process setting, checked per call.
        if (_device.type == DeviceType.CUDA && (backends.cudnn.allow_tf32 || backends.cuda.matmul.allow_tf32))
        {
            backends.cudnn.allow_tf32 = false;
            backends.cuda.matmul.allow_tf32 = false;
        }
    }

    /// <summary>Validates a batch as the managed backend does (shape, labels, label range).</summary>
    private void CheckBatch(Batch batch, bool needLabels)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var shape = Spec.InputShape;
        if (batch.Channels != shape[0] || batch.Height != shape[1] || batch.Width != shape[2])
        {
            throw new ArgumentException(
                $"The batch's samples are {batch.Channels}x{batch.Height}x{batch.Width} but the network expects {shape[0]}x{shape[1]}x{shape[2]}.", nameof(batch));
        }

        if (!needLabels)
        {
            return;
        }

        if (batch.Labels is null)
        {
            throw new ArgumentException("The cross-entropy objective needs labels; the batch has none.", nameof(batch));
        }

        for (var i = 0; i < batch.Labels.Length; i++)
        {
            if (batch.Labels[i] >= Spec.NumClasses)
            {
                throw new ArgumentException($"labels[{i}] = {batch.Labels[i]} is not below the network's {Spec.NumClasses} classes.", nameof(batch));
            }
        }
    }

    private static void CheckObjective(Objective objective)
    {
        if (objective is not (Objective.CrossEntropy or Objective.SumOfLogits))
        {
            throw new ArgumentOutOfRangeException(nameof(objective), objective, "Unknown objective.");
        }
    }

    /// <summary>A mask over the parameters: <paramref name="parameters"/> (distinct indices, checked), or all when null.</summary>
    private bool[] Wanted(IReadOnlyList<int>? parameters)
    {
        var mask = new bool[_parameters.Length];
        if (parameters is null)
        {
            Array.Fill(mask, true);
            return mask;
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if ((uint)p >= (uint)mask.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(parameters), p, $"parameters[{i}] = {p} is not a parameter index of the network (0..{mask.Length - 1}).");
            }

            if (mask[p])
            {
                throw new ArgumentException($"parameters[{i}] = {p} is requested twice.", nameof(parameters));
            }

            mask[p] = true;
        }

        return mask;
    }

    /// <summary>The batch's images as an [N, C, H, W] tensor in the compiled precision on the device.</summary>
    private Tensor Input(Batch batch)
    {
        var x = TensorTransfer.From(batch.Images, [batch.Count, batch.Channels, batch.Height, batch.Width], _dtype, _device);
        return _channelsLast ? TensorTransfer.ChannelsLast(x) : x;
    }

    /// <summary>The batch's labels on the device.</summary>
    private Tensor Labels(Batch batch) => TensorTransfer.Labels(batch.Labels!, _device);

    /// <summary>Batch statistics forward of <paramref name="input"/> with the shared parameters.</summary>
    private Tensor Logits(Tensor input, Action<int, Tensor>? layerOutput = null)
        => _graph.Forward(new ForwardPass { Input = input, Parameters = _parameters, LayerOutput = layerOutput });

    /// <summary>The scalar to differentiate: mean cross-entropy (or the sum of the samples' own losses), or Σ logits.</summary>
    private static Tensor ObjectiveOf(Tensor logits, Tensor? labels, Objective objective, bool sumOfSampleLosses = false)
        => objective == Objective.SumOfLogits
            ? logits.sum()
            : F.cross_entropy(logits, labels!, reduction: sumOfSampleLosses ? nn.Reduction.Sum : nn.Reduction.Mean);

    /// <summary>∂output/∂inputs; null for null inputs and where an input does not reach the output.</summary>
    private static Tensor?[] Gradients(Tensor output, IReadOnlyList<Tensor?> inputs, bool createGraph = false)
    {
        var result = new Tensor?[inputs.Count];
        var wanted = Enumerable.Range(0, inputs.Count).Where(i => inputs[i] is not null).ToArray();
        if (wanted.Length == 0 || !output.requires_grad)
        {
            return result;
        }

        var g = autograd.grad([output], [.. wanted.Select(i => inputs[i]!)], retain_graph: createGraph, create_graph: createGraph, allow_unused: true);
        for (var k = 0; k < wanted.Length; k++)
        {
            result[wanted[k]] = g[k] is null || g[k].IsInvalid ? null : g[k];
        }

        return result;
    }

    /// <summary>The parameters as differentiation targets: null for those that cannot reach the loss.</summary>
    private Tensor?[] Targets(IEnumerable<int> parameters) => [.. parameters.Select(p => _graph.IsLiveParameter(p) ? _parameters[p] : null)];

    /// <summary>Copies a gradient (or zeros for null) into <paramref name="destination"/>.</summary>
    private static void CopyGradient(Tensor? gradient, Span<double> destination)
    {
        if (gradient is null)
        {
            destination.Clear();
        }
        else
        {
            TensorTransfer.CopyTo(gradient, destination);
        }
    }
}
