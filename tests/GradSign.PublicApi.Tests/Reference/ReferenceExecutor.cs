using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Tests.Backends.Reference;

/// <summary>A network compiled by <see cref="ReferenceBackend"/>; every member follows the <see cref="INetworkExecutor"/> docs literally.</summary>
public sealed class ReferenceExecutor : INetworkExecutor
{
    private readonly double[][] _parameters;
    private bool _disposed;

    internal ReferenceExecutor(NetworkSpec spec, ExecutionOptions options, double[][] parameters)
    {
        Spec = spec;
        Options = options;
        _parameters = parameters;
    }

    public NetworkSpec Spec { get; }

    public ExecutionOptions Options { get; }

    public void Forward(Batch batch, Span<double> logits)
    {
        CheckBatch(batch, labelsNeeded: false);
        var needed = batch.Count * Spec.NumClasses;
        if (logits.Length < needed)
        {
            throw new ArgumentException($"logits has {logits.Length} values; {batch.Count} samples x {Spec.NumClasses} classes need {needed}.", nameof(logits));
        }

        var acts = RunForward(batch, Lift<Real>(_parameters));
        for (var i = 0; i < needed; i++)
        {
            logits[i] = acts[^1][i].Value;
        }
    }

    public GradientResult Backward(Batch batch, Objective objective, bool inputGradient = false)
    {
        CheckBatch(batch, objective);
        var (value, pGrads, layerGrads, _) = RunBackward(batch, objective, Lift<Real>(_parameters));
        return new GradientResult(
            value.Value,
            [.. pGrads.Select(Values)],
            inputGradient ? Values(layerGrads[0]) : null);
    }

    public void PerSampleGradients(Batch batch, PerSampleGradientHandler handler, CancellationToken cancellationToken = default)
    {
        CheckBatch(batch, Objective.CrossEntropy);
        ArgumentNullException.ThrowIfNull(handler);

        // The definition, literally: sample i forwarded and backpropagated alone, as a batch of one.
        var size = batch.SampleSize;
        for (var i = 0; i < batch.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var single = new Batch(batch.Images[(i * size)..((i + 1) * size)], [batch.Labels![i]], 1, batch.Channels, batch.Height, batch.Width);
            handler(i, Backward(single, Objective.CrossEntropy).ParameterGradients);
        }
    }

    public double[][] HessianVectorProduct(Batch batch, Objective objective, IReadOnlyList<double[]?> vector)
    {
        CheckBatch(batch, objective);
        ArgumentNullException.ThrowIfNull(vector);
        if (vector.Count != _parameters.Length)
        {
            throw new ArgumentException($"vector has {vector.Count} entries; the network has {_parameters.Length} parameters.", nameof(vector));
        }

        // θ + ε·v: the tangent of the gradient is then d/dε ∇L(θ + ε v) = H·v exactly.
        var parameters = new Dual[_parameters.Length][];
        for (var p = 0; p < parameters.Length; p++)
        {
            var v = vector[p];
            if (v is not null && v.Length != _parameters[p].Length)
            {
                throw new ArgumentException($"vector[{p}] ('{Spec.Parameters[p].Name}') has {v.Length} values; the parameter has {_parameters[p].Length}.", nameof(vector));
            }

            parameters[p] = new Dual[_parameters[p].Length];
            for (var j = 0; j < parameters[p].Length; j++)
            {
                parameters[p][j] = new Dual(_parameters[p][j], v?[j] ?? 0);
            }
        }

        var (_, pGrads, _, _) = RunBackward(batch, objective, parameters);
        return [.. pGrads.Select(g => g.Select(d => d.Tangent).ToArray())];
    }

    public void ReluCodes(Batch batch, ReluCodeHandler handler)
    {
        CheckBatch(batch, labelsNeeded: false);
        ArgumentNullException.ThrowIfNull(handler);
        var acts = RunForward(batch, Lift<Real>(_parameters));
        for (var l = 0; l < Spec.Layers.Count; l++)
        {
            if (Spec.Layers[l] is not ReluLayer relu)
            {
                continue;
            }

            var x = acts[relu.Inputs[0]];
            var units = x.Length / batch.Count;
            var words = (units + 63) / 64;
            var bits = new ulong[batch.Count * words];
            for (var n = 0; n < batch.Count; n++)
            {
                for (var u = 0; u < units; u++)
                {
                    if (x[(n * units) + u].Value > 0)
                    {
                        bits[(n * words) + (u / 64)] |= 1UL << (u % 64);
                    }
                }
            }

            handler(new ReluCodeBlock(l, units, words, bits));
        }
    }

    public IReadOnlyList<LayerSaliency> OutputSaliencies(Batch batch, Objective objective)
    {
        CheckBatch(batch, objective);
        var (_, _, layerGrads, acts) = RunBackward(batch, objective, Lift<Real>(_parameters));
        var result = new List<LayerSaliency>();
        for (var l = 0; l < Spec.Layers.Count; l++)
        {
            var layer = Spec.Layers[l];
            int? weight = layer switch
            {
                Conv2dLayer conv => conv.Weight,
                LinearLayer linear => linear.Weight,
                _ => null,
            };
            if (weight is null)
            {
                continue;
            }

            // s[n,k] = Σ_{h,w} a[n,k,h,w] · ∂L/∂a[n,k,h,w]  (a linear layer has a single "pixel").
            var channels = layer.OutputShape[0];
            var spatial = acts[l].Length / (batch.Count * channels);
            var values = new double[batch.Count * channels];
            for (var nk = 0; nk < values.Length; nk++)
            {
                for (var q = 0; q < spatial; q++)
                {
                    values[nk] += acts[l][(nk * spatial) + q].Value * layerGrads[l][(nk * spatial) + q].Value;
                }
            }

            result.Add(new LayerSaliency(l, weight.Value, channels, values));
        }

        return result;
    }

    public void LayerOutputs(Batch batch, IReadOnlyList<int> layers, LayerOutputHandler handler)
    {
        CheckBatch(batch, labelsNeeded: false);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(handler);
        foreach (var l in layers)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(l, nameof(layers));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(l, Spec.Layers.Count, nameof(layers));
        }

        if (layers.Distinct().Count() != layers.Count)
        {
            throw new ArgumentException("A layer is requested twice.", nameof(layers));
        }

        var acts = RunForward(batch, Lift<Real>(_parameters));
        foreach (var l in layers.Order())
        {
            handler(l, Values(acts[l]));
        }
    }

    public void Dispose() => _disposed = true;

    private static T[][] Lift<T>(double[][] values)
        where T : struct, IScalar<T>
        => [.. values.Select(v => v.Select(T.FromDouble).ToArray())];

    private static double[] Values<T>(T[] values)
        where T : struct, IScalar<T>
        => [.. values.Select(v => v.Value)];

    private T[][] RunForward<T>(Batch batch, T[][] parameters)
        where T : struct, IScalar<T>
        => ReferenceGraph.Forward(Spec, Options.BatchNormMode, parameters, [.. batch.Images.Select(p => T.FromDouble(p))], batch.Count);

    private (T Value, T[][] ParameterGradients, T[][] LayerGradients, T[][] Activations) RunBackward<T>(Batch batch, Objective objective, T[][] parameters)
        where T : struct, IScalar<T>
    {
        var acts = RunForward(batch, parameters);
        var (value, logitsGradient) = ReferenceLoss.Evaluate(objective, acts[^1], batch.Count, Spec.NumClasses, batch.Labels);
        var (pGrads, layerGrads) = ReferenceGraph.Backward(Spec, Options.BatchNormMode, parameters, acts, batch.Count, logitsGradient);
        return (value, pGrads, layerGrads, acts);
    }

    private void CheckBatch(Batch batch, Objective objective)
    {
        if (!Enum.IsDefined(objective))
        {
            throw new ArgumentOutOfRangeException(nameof(objective), objective, "Unknown objective.");
        }

        CheckBatch(batch, labelsNeeded: objective == Objective.CrossEntropy);
    }

    private void CheckBatch(Batch batch, bool labelsNeeded)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(batch);
        var shape = Spec.InputShape;
        if (batch.Channels != shape[0] || batch.Height != shape[1] || batch.Width != shape[2])
        {
            throw new ArgumentException($"The batch has samples of shape [{batch.Channels},{batch.Height},{batch.Width}]; the network expects [{string.Join(",", shape)}].", nameof(batch));
        }

        if (!labelsNeeded)
        {
            return;
        }

        if (batch.Labels is null)
        {
            throw new ArgumentException("The cross-entropy objective needs a labelled batch; batch.Labels is null.", nameof(batch));
        }

        for (var i = 0; i < batch.Labels.Length; i++)
        {
            if (batch.Labels[i] >= Spec.NumClasses)
            {
                throw new ArgumentException($"batch.Labels[{i}] = {batch.Labels[i]} is not below the {Spec.NumClasses} classes.", nameof(batch));
            }
        }
    }
}
