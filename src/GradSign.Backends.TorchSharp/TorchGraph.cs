using GradSign.Networks;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GradSign.Backends.TorchSharp;

/// <summary>
/// A <see cref="NetworkSpec"/> evaluated op by op with LibTorch, as the Python references run it: training-mode
/// BatchNorm with batch statistics, PyTorch's own pooling and convolution kernels. Every tensor it makes belongs to
/// the caller's dispose scope.
/// </summary>
internal sealed class TorchGraph
{
    private readonly NetworkSpec _spec;
    private readonly bool[] _removed;
    private readonly bool[] _liveLayers;
    private readonly bool[] _liveParameters;

    public TorchGraph(NetworkSpec spec, BatchNormMode mode)
    {
        _spec = spec;
        _removed = [.. spec.Layers.Select(l => l is BatchNormLayer bn && Removed(bn, mode))];

        // A layer is live when a gradient path leads from its output to the logits. The zero op (zeros of its input's
        // shape, no graph edge) cuts paths, as the references' x·0 does numerically; a removed BatchNorm passes them on.
        _liveLayers = new bool[spec.Layers.Count];
        _liveLayers[^1] = true;
        for (var i = spec.Layers.Count - 1; i >= 1; i--)
        {
            if (_liveLayers[i] && spec.Layers[i] is not ZeroLayer)
            {
                foreach (var input in spec.Layers[i].Inputs)
                {
                    _liveLayers[input] = true;
                }
            }
        }

        _liveParameters = new bool[spec.Parameters.Count];
        for (var i = 1; i < spec.Layers.Count; i++)
        {
            int?[] owned = spec.Layers[i] switch
            {
                Conv2dLayer c => [c.Weight, c.Bias],
                LinearLayer l => [l.Weight, l.Bias],
                BatchNormLayer b when !_removed[i] => [b.Weight, b.Bias],
                _ => [],
            };
            foreach (var p in owned)
            {
                if (p is int index && _liveLayers[i])
                {
                    _liveParameters[index] = true;
                }
            }
        }
    }

    /// <summary>
    /// True when parameter <paramref name="index"/> can receive a gradient. Differentiating with respect to a parameter
    /// that cannot gives an undefined tensor, which TorchSharp counts as live forever; callers skip those and use zeros.
    /// </summary>
    public bool IsLiveParameter(int index) => _liveParameters[index];

    /// <summary>True when layer <paramref name="index"/>'s output can receive a gradient.</summary>
    public bool IsLiveLayer(int index) => _liveLayers[index];

    /// <summary>
    /// Runs the network on <paramref name="pass"/>'s input and returns the logits [N, classes].
    /// </summary>
    public Tensor Forward(ForwardPass pass)
    {
        var layers = _spec.Layers;
        var values = new Tensor[layers.Count];
        values[0] = pass.Input;

        // NAS-Bench-201 cells apply one ReLU per conv edge to the same node: compute it once per input.
        var reluOf = new Dictionary<int, Tensor>();
        for (var i = 1; i < layers.Count; i++)
        {
            var layer = layers[i];
            var x = values[layer.Inputs[0]];
            values[i] = layer switch
            {
                Conv2dLayer c => Conv(pass, c, x),
                BatchNormLayer b => _removed[i] ? x : BatchNorm(pass, b, x),
                ReluLayer => Relu(pass, i, layer.Inputs[0], x, reluOf),
                PoolLayer p when p.Kind == PoolKind.Max => F.max_pool2d(x, [p.Kernel, p.Kernel], [p.Stride, p.Stride], [p.Padding, p.Padding], [1, 1]),
                PoolLayer p => F.avg_pool2d(x, [p.Kernel, p.Kernel], [p.Stride, p.Stride], [p.Padding, p.Padding], ceil_mode: false, count_include_pad: p.CountIncludePad),
                GlobalAvgPoolLayer => F.adaptive_avg_pool2d(x, [1, 1]).flatten(1),
                LinearLayer l => Linear(pass, l, x),
                AddLayer => Sum(layer.Inputs.Select(k => values[k])),
                ZeroLayer => zeros_like(x),
                ConcatLayer => cat([.. layer.Inputs.Select(k => values[k])], 1),
                TruncateLayer t => x.narrow(1, 0, t.Channels),
                _ => throw new NotSupportedException($"The TorchSharp backend cannot run layer '{layer.Name}' of type {layer.GetType().Name}."),
            };
            if (layer is Conv2dLayer or LinearLayer)
            {
                pass.LayerOutput?.Invoke(i, values[i]);
            }

            pass.AnyLayerOutput?.Invoke(i, values[i]);
        }

        return values[^1];
    }

    private static bool Removed(BatchNormLayer bn, BatchNormMode mode) => mode switch
    {
        BatchNormMode.RemoveAll => true,
        BatchNormMode.RemoveRemovable => bn.Removable,
        _ => false,
    };

    private static Tensor Sum(IEnumerable<Tensor> terms)
    {
        Tensor? sum = null;
        foreach (var t in terms)
        {
            sum = sum is null ? t : sum + t;
        }

        return sum!;
    }

    private static Tensor Relu(ForwardPass pass, int layer, int input, Tensor x, Dictionary<int, Tensor> reluOf)
    {
        pass.ReluInput?.Invoke(layer, input, x);
        if (!reluOf.TryGetValue(input, out var y))
        {
            reluOf[input] = y = F.relu(x);
        }

        return y;
    }

    /// <summary>
    /// Convolution. With per-sample parameters (<see cref="ForwardPass.PerSample"/>) the N samples become N groups of
    /// one grouped convolution: input [1, N·Cin, H, W], weight [N·Cout, Cin, k, k], bias [N·Cout].
    /// </summary>
    private static Tensor Conv(ForwardPass pass, Conv2dLayer c, Tensor x)
    {
        long[] stride = [c.Stride, c.Stride];
        long[] padding = [c.Padding, c.Padding];
        long[] dilation = [1, 1];
        if (pass.PerSampleOf(c.Weight) is not { } w)
        {
            return F.conv2d(x, pass.Parameters[c.Weight], c.Bias is int b ? pass.Parameters[b] : null, stride, padding, dilation);
        }

        var n = x.shape[0];
        var grouped = x.reshape(1, n * c.InChannels, x.shape[2], x.shape[3]);
        var bias = c.Bias is int bi ? pass.PerSampleOf(bi) ?? pass.Parameters[bi].repeat(n) : null;
        var y = F.conv2d(grouped, w, bias, stride, padding, dilation, groups: n);
        return y.reshape(n, c.OutChannels, y.shape[2], y.shape[3]);
    }

    /// <summary>Linear layer; with per-sample parameters, y[n] = W[n]·x[n] + b[n] as a batched matrix product.</summary>
    private static Tensor Linear(ForwardPass pass, LinearLayer l, Tensor x)
    {
        if (pass.PerSampleOf(l.Weight) is not { } w)
        {
            return F.linear(x, pass.Parameters[l.Weight], l.Bias is int b ? pass.Parameters[b] : null);
        }

        var n = x.shape[0];
        var y = bmm(w.view(n, l.OutFeatures, l.InFeatures), x.unsqueeze(2)).squeeze(2);
        if (l.Bias is int bi)
        {
            y += pass.PerSampleOf(bi)?.view(n, l.OutFeatures) ?? pass.Parameters[bi];
        }

        return y;
    }

    /// <summary>
    /// Training-mode BatchNorm. With per-sample statistics, sample n's channel c is normalised over its own H×W:
    /// batch_norm of the input viewed as [1, N·C, H, W] (instance normalisation, and exactly what a batch of one
    /// computes), with γ and β repeated per sample (or the per-sample copies).
    /// </summary>
    private static Tensor BatchNorm(ForwardPass pass, BatchNormLayer b, Tensor x)
    {
        var gamma = b.Weight is int g ? pass.Parameters[g] : null;
        var beta = b.Bias is int bb ? pass.Parameters[bb] : null;
        if (!pass.PerSampleStatistics)
        {
            return F.batch_norm(x, null, null, gamma, beta, training: true, momentum: 0.0, eps: b.Epsilon);
        }

        var n = x.shape[0];
        var flat = x.reshape(1, n * b.Channels, x.shape[2], x.shape[3]);
        var gammas = b.Weight is int gi ? pass.PerSampleOf(gi) ?? gamma!.repeat(n) : null;
        var betas = b.Bias is int bi ? pass.PerSampleOf(bi) ?? beta!.repeat(n) : null;
        var y = F.batch_norm(flat, null, null, gammas, betas, training: true, momentum: 0.0, eps: b.Epsilon);
        return y.view(x.shape);
    }
}

/// <summary>One forward pass: its input, parameters and what to observe.</summary>
internal sealed class ForwardPass
{
    /// <summary>The input [N, C, H, W] (or a narrow of one sample).</summary>
    public required Tensor Input { get; init; }

    /// <summary>The network's parameters, in spec order.</summary>
    public required IReadOnlyList<Tensor> Parameters { get; init; }

    /// <summary>
    /// Per-sample parameter copies, indexed like <see cref="Parameters"/> (null entries use the shared tensor):
    /// conv weights [N·Cout, Cin, k, k], everything else [N·numel]. Needs <see cref="PerSampleStatistics"/>.
    /// </summary>
    public IReadOnlyList<Tensor?>? PerSample { get; init; }

    /// <summary>True: every BatchNorm normalises each sample over its own H×W.</summary>
    public bool PerSampleStatistics { get; init; }

    /// <summary>Called at every ReLU layer with (layer, input layer, input tensor).</summary>
    public Action<int, int, Tensor>? ReluInput { get; init; }

    /// <summary>Called with every conv and linear layer's output (layer, tensor).</summary>
    public Action<int, Tensor>? LayerOutput { get; init; }

    /// <summary>Called with every layer's output (layer, tensor), in layer order; a removed BatchNorm's is its input.</summary>
    public Action<int, Tensor>? AnyLayerOutput { get; init; }

    /// <summary>The per-sample copy of parameter <paramref name="index"/>, or null.</summary>
    public Tensor? PerSampleOf(int index) => PerSample?[index];
}
