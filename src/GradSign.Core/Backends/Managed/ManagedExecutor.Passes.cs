using System.Numerics;
using GradSign.Backends.Managed.Kernels;
using GradSign.Backends.Managed.Ops;
using GradSign.Data;
using GradSign.Networks;

namespace GradSign.Backends.Managed;

/// <content>The <see cref="INetworkExecutor"/> passes.</content>
internal sealed partial class ManagedExecutor<T>
{
    /// <inheritdoc />
    public void Forward(Batch batch, Span<double> logits)
    {
        var w = Prepare(batch, needLabels: false);
        var needed = batch.Count * Spec.NumClasses;
        if (logits.Length < needed)
        {
            throw new ArgumentException($"logits has {logits.Length} elements; {batch.Count} samples x {Spec.NumClasses} classes need {needed}.", nameof(logits));
        }

        RunForward(w, batch);
        var z = w.Values[LogitsSlot];
        for (var i = 0; i < needed; i++)
        {
            logits[i] = double.CreateTruncating(z[i]);
        }
    }

    /// <inheritdoc />
    public GradientResult Backward(Batch batch, Objective objective, bool inputGradient = false)
    {
        CheckObjective(objective);
        var w = Prepare(batch, objective == Objective.CrossEntropy);
        RunForward(w, batch);
        StartBackward(w, inputGradient);
        var value = Seed(w, batch, objective, perSample: false);
        Sweep(w, tangents: false);
        ParameterGradients(w, -1);
        var grads = new double[_params.Length][];
        for (var i = 0; i < grads.Length; i++)
        {
            grads[i] = new double[_params[i].Length];
            ToDouble(w.ParamGrads[i], grads[i]);
        }

        double[]? input = null;
        if (inputGradient)
        {
            input = new double[w.Values[0].Length];
            if (w.GradWritten[0])
            {
                ToDouble(w.Grads[0], input);
            }
        }

        return new GradientResult(value, grads, input);
    }

    /// <inheritdoc />
    public void PerSampleGradients(Batch batch, PerSampleGradientHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var w = Prepare(batch, needLabels: true);
        w.PerSample = true;
        try
        {
            RunForward(w, batch);
            StartBackward(w, inputGradient: false);
            Seed(w, batch, Objective.CrossEntropy, perSample: true);
            Sweep(w, tangents: false);
            // Two buffer sets: with two or more threads, samples n and n+1 are computed concurrently (each sample's
            // gradients depend only on the workspace), then delivered in order.
            var sets = _degree > 1 ? 2 : 1;
            var buffers = PerSampleBuffers(sets);
            var live = _ops.Where(op => op is not null && w.GradWritten[op.Output]).Select(op => op!).ToArray();
            var liveParams = live.SelectMany(op => op.Parameters).ToArray();
            void Compute(int sample, int set)
            {
                var (grads, doubles) = buffers[set];
                foreach (var op in live)
                {
                    op.ParameterGradients(w, sample, grads);
                }

                foreach (var p in liveParams)
                {
                    ToDouble(grads[p], doubles[p]);
                }
            }

            for (var n = 0; n < batch.Count; n += sets)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (sets == 2 && n + 1 < batch.Count)
                {
                    var first = n;
                    Parallel.Invoke(() => Compute(first, 0), () => Compute(first + 1, 1));
                }
                else
                {
                    Compute(n, 0);
                }

                handler(n, buffers[0].Doubles);
                if (sets == 2 && n + 1 < batch.Count)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    handler(n + 1, buffers[1].Doubles);
                }
            }
        }
        finally
        {
            w.PerSample = false;
        }
    }

    /// <inheritdoc />
    public double[][] HessianVectorProduct(Batch batch, Objective objective, IReadOnlyList<double[]?> vector)
    {
        CheckObjective(objective);
        ArgumentNullException.ThrowIfNull(vector);
        if (vector.Count != _params.Length)
        {
            throw new ArgumentException($"vector has {vector.Count} entries; the network has {_params.Length} parameters.", nameof(vector));
        }

        for (var i = 0; i < vector.Count; i++)
        {
            if (vector[i] is { } v && v.Length != _params[i].Length)
            {
                throw new ArgumentException($"vector[{i}] ('{Spec.Parameters[i].Name}') has {v.Length} values; the parameter has {_params[i].Length}.", nameof(vector));
            }
        }

        var w = Prepare(batch, objective == Objective.CrossEntropy);
        RunForward(w, batch);
        w.EnsureTangents();
        foreach (var op in _ops)
        {
            op?.PrepareTangents(batch.Count);
        }

        for (var i = 0; i < vector.Count; i++)
        {
            var pt = w.ParamTangents[i];
            if (vector[i] is { } v)
            {
                for (var j = 0; j < v.Length; j++)
                {
                    pt[j] = T.CreateTruncating(v[j]);
                }
            }
            else
            {
                Array.Clear(pt);
            }
        }

        foreach (var op in _ops)
        {
            op?.TangentForward(w);
        }

        StartBackward(w, inputGradient: false);
        Seed(w, batch, objective, perSample: false);
        var logits = LogitsSlot;
        w.GradTangentWritten[logits] = true;
        if (objective == Objective.SumOfLogits)
        {
            Array.Clear(w.GradTangents[logits]);
        }
        else
        {
            CrossEntropy.Tangent<T>(w.Values[logits], w.Tangents[logits], batch.Count, Spec.NumClasses, T.One / T.CreateTruncating(batch.Count), w.GradTangents[logits]);
        }

        Sweep(w, tangents: true);
        foreach (var p in w.ParamGradTangents)
        {
            Array.Clear(p);
        }

        foreach (var op in _ops)
        {
            if (op is not null && w.GradWritten[op.Output])
            {
                op.ParameterGradientTangents(w);
            }
        }

        var result = new double[_params.Length][];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new double[_params[i].Length];
            ToDouble(w.ParamGradTangents[i], result[i]);
        }

        return result;
    }

    /// <inheritdoc />
    public void ReluCodes(Batch batch, ReluCodeHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var w = Prepare(batch, needLabels: false);
        RunForward(w, batch);
        for (var i = 0; i < Spec.Layers.Count; i++)
        {
            if (Spec.Layers[i] is ReluLayer relu)
            {
                var input = _slotOf[relu.Inputs[0]];
                var units = _slotSizes[input];
                var words = (units + 63) / 64;
                var total = words * batch.Count;
                if (_codes.Length < total)
                {
                    _codes = new ulong[total];
                }

                ReluCodePack.Run<T>(w.Values[input], batch.Count, units, words, _codes);
                handler(new ReluCodeBlock(i, units, words, _codes.AsSpan(0, total)));
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<LayerSaliency> OutputSaliencies(Batch batch, Objective objective)
    {
        CheckObjective(objective);
        var w = Prepare(batch, objective == Objective.CrossEntropy);
        RunForward(w, batch);
        StartBackward(w, inputGradient: false);
        Seed(w, batch, objective, perSample: false);
        Sweep(w, tangents: false);
        var result = new List<LayerSaliency>();
        foreach (var op in _ops)
        {
            var (weight, channels, spatial) = op switch
            {
                ConvOp<T> c => (c.Weight, c.Channels, c.Spatial),
                LinearOp<T> l => (l.Weight, l.Channels, 1),
                _ => (-1, 0, 0),
            };
            if (weight < 0)
            {
                continue;
            }

            var values = new double[batch.Count * channels];
            if (w.GradWritten[op!.Output])
            {
                var a = w.Values[op.Output];
                var g = w.Grads[op.Output];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = PackedSum.Dot<T>(a.AsSpan(i * spatial, spatial), g.AsSpan(i * spatial, spatial));
                }
            }

            result.Add(new LayerSaliency(op.Layer, weight, channels, values));
        }

        return result;
    }

    private void ParameterGradients(Workspace<T> w, int sample)
    {
        foreach (var p in w.ParamGrads)
        {
            Array.Clear(p);
        }

        foreach (var op in _ops)
        {
            if (op is not null && w.GradWritten[op.Output])
            {
                op.ParameterGradients(w, sample, w.ParamGrads);
            }
        }
    }

    /// <summary>Zeroed gradient buffer sets for per-sample passes (parameters no live layer writes stay zero).</summary>
    private (T[][] Grads, double[][] Doubles)[] PerSampleBuffers(int sets)
    {
        if (_perSample is null || _perSample.Length != sets)
        {
            _perSample = [.. Enumerable.Range(0, sets).Select(_ => (
                _params.Select(p => new T[p.Length]).ToArray(),
                _params.Select(p => new double[p.Length]).ToArray()))];
        }

        foreach (var (g, d) in _perSample)
        {
            foreach (var a in g)
            {
                Array.Clear(a);
            }

            foreach (var a in d)
            {
                Array.Clear(a);
            }
        }

        return _perSample;
    }
}
