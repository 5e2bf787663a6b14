using GradSign.Backends.Execution;
using GradSign.Data;
using GradSign.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace GradSign.Backends.TorchSharp;

/// <content>Forward, backward, Hessian-vector products, ReLU codes and output saliencies.</content>
internal sealed partial class TorchExecutor
{
    /// <inheritdoc />
    public void Forward(Batch batch, Span<double> logits)
    {
        Enter();
        CheckBatch(batch, needLabels: false);
        var needed = batch.Count * Spec.NumClasses;
        if (logits.Length < needed)
        {
            throw new ArgumentException($"logits has {logits.Length} elements; {batch.Count} samples x {Spec.NumClasses} classes need {needed}.", nameof(logits));
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        TensorTransfer.CopyTo(Logits(Input(batch)), logits[..needed]);
    }

    /// <inheritdoc />
    public GradientResult Backward(Batch batch, Objective objective, bool inputGradient = false)
    {
        Enter();
        CheckObjective(objective);
        CheckBatch(batch, objective == Objective.CrossEntropy);
        using var scope = NewDisposeScope();
        var x = Input(batch);
        if (inputGradient)
        {
            x.requires_grad_(true);
        }

        var loss = ObjectiveOf(Logits(x), objective == Objective.CrossEntropy ? Labels(batch) : null, objective);
        var all = Targets(Enumerable.Range(0, _parameters.Length));
        var g = Gradients(loss, inputGradient ? [.. all, _graph.IsLiveLayer(0) ? x : null] : all);
        var gradients = new double[_parameters.Length][];
        for (var p = 0; p < gradients.Length; p++)
        {
            gradients[p] = new double[Spec.Parameters[p].ElementCount];
            CopyGradient(g[p], gradients[p]);
        }

        double[]? input = null;
        if (inputGradient)
        {
            input = new double[batch.Images.Length];
            CopyGradient(g[^1], input);
        }

        return new GradientResult(TensorTransfer.Scalar(loss), gradients, input);
    }

    /// <inheritdoc />
    public double Backward(Batch batch, Objective objective, ParameterGradientHandler handler, IReadOnlyList<int>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Enter();
        CheckObjective(objective);
        var wanted = Wanted(parameters);
        CheckBatch(batch, objective == Objective.CrossEntropy);
        using var scope = NewDisposeScope();
        var loss = ObjectiveOf(Logits(Input(batch)), objective == Objective.CrossEntropy ? Labels(batch) : null, objective);

        // Only the wanted parameters are differentiation targets, so LibTorch skips the other weight gradients.
        var indices = Enumerable.Range(0, _parameters.Length).Where(p => wanted[p]).ToArray();
        var g = Gradients(loss, Targets(indices));
        var scratch = new double[indices.Length == 0 ? 0 : indices.Max(p => Spec.Parameters[p].ElementCount)];
        for (var i = 0; i < indices.Length; i++)
        {
            var span = scratch.AsSpan(0, Spec.Parameters[indices[i]].ElementCount);
            CopyGradient(g[i], span);
            handler(indices[i], span);
        }

        return TensorTransfer.Scalar(loss);
    }

    /// <inheritdoc />
    public double[][] HessianVectorProduct(Batch batch, Objective objective, IReadOnlyList<double[]?> vector)
    {
        Enter();
        CheckObjective(objective);
        ArgumentNullException.ThrowIfNull(vector);
        if (vector.Count != _parameters.Length)
        {
            throw new ArgumentException($"vector has {vector.Count} entries; the network has {_parameters.Length} parameters.", nameof(vector));
        }

        for (var i = 0; i < vector.Count; i++)
        {
            if (vector[i] is { } v && v.Length != Spec.Parameters[i].ElementCount)
            {
                throw new ArgumentException($"vector[{i}] ('{Spec.Parameters[i].Name}') has {v.Length} values; the parameter has {Spec.Parameters[i].ElementCount}.", nameof(vector));
            }
        }

        CheckBatch(batch, objective == Objective.CrossEntropy);
        using var scope = NewDisposeScope();

        // Double backward, as the references' GraSP: z = Σ_p g_p·v_p with g built as a graph, then H·v = ∂z/∂θ.
        var loss = ObjectiveOf(Logits(Input(batch)), objective == Objective.CrossEntropy ? Labels(batch) : null, objective);
        var targets = Targets(Enumerable.Range(0, _parameters.Length));
        var g = Gradients(loss, targets, createGraph: true);
        Tensor? z = null;
        for (var p = 0; p < _parameters.Length; p++)
        {
            if (vector[p] is { } v && g[p] is { } gp)
            {
                var term = (gp * TensorTransfer.From(v, _parameters[p].shape, _dtype, _device)).sum();
                z = z is null ? term : z + term;
            }
        }

        var hv = z is null ? new Tensor?[_parameters.Length] : Gradients(z, targets);
        var result = new double[_parameters.Length][];
        for (var p = 0; p < result.Length; p++)
        {
            result[p] = new double[Spec.Parameters[p].ElementCount];
            CopyGradient(hv[p], result[p]);
        }

        return result;
    }

    /// <inheritdoc />
    public void ReluCodes(Batch batch, ReluCodeHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Enter();
        CheckBatch(batch, needLabels: false);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        // Several ReLU layers of a NAS-Bench-201 cell read the same tensor: pack each input once.
        var packed = new Dictionary<int, (int Units, int Words, ulong[] Bits)>();
        _graph.Forward(new ForwardPass
        {
            Input = Input(batch),
            Parameters = _parameters,
            ReluInput = (layer, input, x) =>
            {
                if (!packed.TryGetValue(input, out var codes))
                {
                    packed[input] = codes = ReluCodePacking.Pack(x, batch.Count);
                }

                handler(new ReluCodeBlock(layer, codes.Units, codes.Words, codes.Bits));
            },
        });
    }

    /// <inheritdoc />
    public void LayerOutputs(Batch batch, IReadOnlyList<int> layers, LayerOutputHandler handler)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(handler);
        var wanted = new bool[Spec.Layers.Count];
        for (var i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            if ((uint)l >= (uint)wanted.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(layers), l, $"layers[{i}] = {l} is not a layer index of the network (0..{wanted.Length - 1}).");
            }

            if (wanted[l])
            {
                throw new ArgumentException($"Layer {l} is requested twice.", nameof(layers));
            }

            wanted[l] = true;
        }

        Enter();
        CheckBatch(batch, needLabels: false);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        // Delivered after the whole pass, in layer order (the graph visits layers in order).
        var outputs = new List<(int Layer, Tensor Value)>();
        var input = Input(batch);
        if (wanted[0])
        {
            outputs.Add((0, input));
        }

        _graph.Forward(new ForwardPass
        {
            Input = input,
            Parameters = _parameters,
            AnyLayerOutput = (layer, value) =>
            {
                if (wanted[layer])
                {
                    outputs.Add((layer, value));
                }
            },
        });
        foreach (var (layer, value) in outputs)
        {
            handler(layer, TensorTransfer.ToDoubles(value));
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<LayerSaliency> OutputSaliencies(Batch batch, Objective objective)
    {
        Enter();
        CheckObjective(objective);
        CheckBatch(batch, objective == Objective.CrossEntropy);
        using var scope = NewDisposeScope();
        var layers = new List<int>();
        var outputs = new List<Tensor?>();
        var logits = Logits(Input(batch), (layer, a) =>
        {
            layers.Add(layer);
            outputs.Add(_graph.IsLiveLayer(layer) ? a : null);
        });
        var loss = ObjectiveOf(logits, objective == Objective.CrossEntropy ? Labels(batch) : null, objective);
        var g = Gradients(loss, outputs);
        var result = new List<LayerSaliency>(layers.Count);
        for (var i = 0; i < layers.Count; i++)
        {
            var (weight, channels) = Spec.Layers[layers[i]] switch
            {
                Conv2dLayer c => (c.Weight, c.OutChannels),
                LinearLayer l => (l.Weight, l.OutFeatures),
                _ => throw new InvalidOperationException("Only conv and linear outputs are recorded."),
            };
            var values = new double[batch.Count * channels];
            if (g[i] is { } gi)
            {
                // Σ_{h,w} a·∂L/∂a per sample and channel, in float64.
                var product = outputs[i]!.detach().to(ScalarType.Float64) * gi.to(ScalarType.Float64);
                TensorTransfer.CopyTo(product.dim() == 4 ? product.sum([2, 3]) : product, values);
            }

            result.Add(new LayerSaliency(layers[i], weight, channels, values));
        }

        return result;
    }
}
