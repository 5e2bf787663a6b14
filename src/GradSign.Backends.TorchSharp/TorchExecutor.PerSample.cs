using GradSign.Backends.Execution;
using GradSign.Data;
using GradSign.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace GradSign.Backends.TorchSharp;

/// <content>Per-sample gradients: the reference loop of batch-of-one passes, or batched passes over groups of samples.</content>
internal sealed partial class TorchExecutor
{
    /// <inheritdoc />
    public void PerSampleGradients(Batch batch, PerSampleGradientHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Enter();
        CheckBatch(batch, needLabels: true);
        var all = Enumerable.Range(0, _parameters.Length).ToArray();
        var gradients = Spec.Parameters.Select(p => new double[p.ElementCount]).ToArray();
        using var scope = NewDisposeScope();
        var x = Input(batch);
        var labels = Labels(batch);
        foreach (var (start, count) in Groups(batch.Count, all))
        {
            using var inner = NewDisposeScope();
            var g = GroupGradients(x, labels, start, count, all);
            var host = g.Select(t => t?.detach().to(ScalarType.Float64, CPU).contiguous()).ToArray();
            for (var n = 0; n < count; n++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (var p = 0; p < all.Length; p++)
                {
                    CopyGradient(host[p]?[n], gradients[p]);
                }

                handler(start + n, gradients);
            }
        }
    }

    /// <inheritdoc />
    public void PerSampleGradientSignVotes(Batch batch, IReadOnlyList<int> parameters, SignVoteHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(parameters);
        Enter();
        Wanted(parameters);
        CheckBatch(batch, needLabels: true);
        using var scope = NewDisposeScope();
        var x = Input(batch);
        var labels = Labels(batch);

        // Votes stay on the device as int32 (exact: |Σ sign| ≤ N); NaN flags as bool.
        var votes = parameters.Select(p => zeros([Spec.Parameters[p].ElementCount], ScalarType.Int32, _device)).ToArray();
        var nans = parameters.Select(p => zeros([Spec.Parameters[p].ElementCount], ScalarType.Bool, _device)).ToArray();
        foreach (var (start, count) in Groups(batch.Count, parameters))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var inner = NewDisposeScope();
            var g = GroupGradients(x, labels, start, count, parameters);
            for (var i = 0; i < parameters.Count; i++)
            {
                if (g[i] is not { } gi)
                {
                    continue; // the parameter does not reach the loss: sign 0 for every sample
                }

                // NumPy's sign: sign(±0) = 0; NaN votes 0 here and is flagged (the reference's nansum drops the column).
                var signs = gi.sign().nan_to_num(0.0).to(ScalarType.Int32);
                votes[i].add_(signs.sum(0, type: ScalarType.Int32));
                nans[i].logical_or_(gi.isnan().any(0));
            }
        }

        var length = parameters.Count == 0 ? 0 : parameters.Max(p => Spec.Parameters[p].ElementCount);
        var voteBuffer = new int[length];
        var nanBuffer = new int[length];
        for (var i = 0; i < parameters.Count; i++)
        {
            var n = Spec.Parameters[parameters[i]].ElementCount;
            TensorTransfer.CopyTo(votes[i], voteBuffer.AsSpan(0, n));
            TensorTransfer.CopyTo(nans[i], nanBuffer.AsSpan(0, n));
            handler(parameters[i], voteBuffer.AsSpan(0, n), nanBuffer.AsSpan(0, n));
        }
    }

    /// <summary>
    /// The passes of a per-sample computation as (first sample, count): one sample at a time for the reference loop,
    /// groups for the batched strategy, sized so that the per-sample parameter copies and their gradients fit the
    /// memory budget.
    /// </summary>
    private IEnumerable<(int Start, int Count)> Groups(int samples, IReadOnlyList<int> parameters)
    {
        if (_perSample == PerSampleStrategy.Loop)
        {
            for (var n = 0; n < samples; n++)
            {
                yield return (n, 1);
            }

            yield break;
        }

        var bytes = 2L * PerSampleCopies(parameters).Sum(p => (long)Spec.Parameters[p].ElementCount) * (_dtype == ScalarType.Float64 ? 8 : 4);
        var size = (int)Math.Clamp(_perSampleBytes / Math.Max(bytes, 1), 1, samples);
        for (var n = 0; n < samples; n += size)
        {
            yield return (n, Math.Min(size, samples - n));
        }
    }

    /// <summary>The requested parameters' gradients of samples start..start+count−1, each sample's own.</summary>
    /// <returns>One [count, numel] gradient per requested parameter; null where it does not reach the loss.</returns>
    private Tensor?[] GroupGradients(Tensor x, Tensor labels, int start, int count, IReadOnlyList<int> parameters)
    {
        if (_perSample == PerSampleStrategy.Loop)
        {
            // The reference: the sample forwarded alone, as a batch of one (BatchNorm over its own H×W).
            var loss = ObjectiveOf(Logits(x.narrow(0, start, 1)), labels.narrow(0, start, 1), Objective.CrossEntropy);
            return [.. Gradients(loss, Targets(parameters)).Select(t => t?.reshape(1, -1))];
        }

        return BatchedGradients(x, labels, start, count, parameters);
    }

    /// <summary>
    /// Samples start..start+count−1 in one pass: per-sample BatchNorm statistics, per-sample parameter copies for every
    /// layer that owns a requested parameter, and the sum of the samples' own losses, whose gradient with respect to
    /// sample n's copy is sample n's gradient.
    /// </summary>
    /// <returns>One [count, numel] gradient per requested parameter; null where it does not reach the loss.</returns>
    private Tensor?[] BatchedGradients(Tensor x, Tensor labels, int start, int count, IReadOnlyList<int> parameters)
    {
        var copies = new Tensor?[_parameters.Length];
        foreach (var p in PerSampleCopies(parameters))
        {
            // Conv weights as [count·Cout, Cin, k, k] (the grouped convolution's weight), the rest flat [count·numel].
            var shared = _parameters[p].detach();
            copies[p] = (Spec.Parameters[p].Kind == ParameterKind.ConvWeight
                ? shared.repeat([count, 1, 1, 1])
                : shared.reshape(-1).repeat([count])).requires_grad_(true);
        }

        var logits = _graph.Forward(new ForwardPass
        {
            Input = x.narrow(0, start, count),
            Parameters = _parameters,
            PerSample = copies,
            PerSampleStatistics = true,
        });
        var loss = ObjectiveOf(logits, labels.narrow(0, start, count), Objective.CrossEntropy, sumOfSampleLosses: true);
        var g = Gradients(loss, [.. parameters.Select(p => _graph.IsLiveParameter(p) ? copies[p] : null)]);
        return [.. g.Select(t => t?.reshape(count, -1))];
    }

    /// <summary>The parameters that need per-sample copies: every parameter of each layer that owns a requested live one.</summary>
    private int[] PerSampleCopies(IReadOnlyList<int> parameters)
    {
        var wanted = new HashSet<int>(parameters);
        var copies = new SortedSet<int>();
        foreach (var layer in Spec.Layers)
        {
            int?[] owned = layer switch
            {
                Conv2dLayer c => [c.Weight, c.Bias],
                LinearLayer l => [l.Weight, l.Bias],
                BatchNormLayer b => [b.Weight, b.Bias],
                _ => [],
            };
            if (owned.Any(p => p is int i && wanted.Contains(i) && _graph.IsLiveParameter(i)))
            {
                foreach (var p in owned)
                {
                    if (p is int i)
                    {
                        copies.Add(i);
                    }
                }
            }
        }

        return [.. copies];
    }
}
