using System.Numerics.Tensors;
using GradSign.Backends.Execution;
using GradSign.Backends.Managed.Kernels;
using GradSign.Backends.Managed.Ops;
using GradSign.Networks;

namespace GradSign.Backends.Managed;

/// <content>The <see cref="INetworkExecutor"/> passes.</content>
internal sealed partial class ManagedExecutor<T>
{
    /// <summary>Batches below this size compute their layers' parameter gradients concurrently (see <see cref="LayerParallelParameterGradients"/>).</summary>
    private const int LayerParallelBatchLimit = 8;

    /// <inheritdoc />
    public void Forward(Batch batch, Span<double> logits)
    {
        var w = Prepare(batch, needLabels: false);
        var needed = batch.Count * Spec.NumClasses;
        if (logits.Length < needed)
        {
            throw new ArgumentException($"logits has {logits.Length} elements; {batch.Count} samples x {Spec.NumClasses} classes need {needed}.", nameof(logits));
        }

        RunForward(w, batch, ForwardKeep.Stream);
        var z = w.Values[LogitsSlot];
        for (var i = 0; i < needed; i++)
        {
            logits[i] = double.CreateTruncating(z[i]);
        }
    }

    /// <inheritdoc />
    public GradientResult Backward(Batch batch, Objective objective, bool inputGradient = false)
    {
        var (w, value) = BackwardPass(batch, objective, inputGradient, ParameterSubset.Mask(Spec, null));
        var grads = new double[_params.Length][];
        for (var i = 0; i < grads.Length; i++)
        {
            if (w.ParamGrads[i] is double[] own)
            {
                // Float64: hand the workspace's array to the caller instead of copying it; the workspace rents another
                // when it needs one (most executors run one pass).
                grads[i] = own;
                _pool.Detach(own);
                w.ParamGrads[i] = [];
            }
            else
            {
                grads[i] = new double[_params[i].Length];
                ToDouble(w.ParamGrads[i], grads[i]);
            }
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
    public double Backward(Batch batch, Objective objective, ParameterGradientHandler handler, IReadOnlyList<int>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var wanted = ParameterSubset.Mask(Spec, parameters);
        var (w, value) = BackwardPass(batch, objective, inputGradient: false, wanted);
        if (typeof(T) == typeof(double))
        {
            for (var p = 0; p < _params.Length; p++)
            {
                if (wanted[p])
                {
                    handler(p, (double[])(object)w.ParamGrads[p]);
                }
            }

            return value;
        }

        // Float32: each parameter is widened into one pooled scratch array in turn.
        var scratch = _pool.Rent<double>(_params.Max(p => p.Length));
        try
        {
            for (var p = 0; p < _params.Length; p++)
            {
                if (wanted[p])
                {
                    var g = scratch.AsSpan(0, _params[p].Length);
                    TensorPrimitives.ConvertTruncating<T, double>(w.ParamGrads[p], g);
                    handler(p, g);
                }
            }
        }
        finally
        {
            _pool.Return(scratch);
        }

        return value;
    }

    /// <inheritdoc />
    public void PerSampleGradients(Batch batch, PerSampleGradientHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var w = Prepare(batch, needLabels: true);
        w.PerSample = true;
        Array.Fill(w.ParamNeeded, true);
        try
        {
            var live = PerSampleSweep(w, batch);
            var liveParams = live.SelectMany(op => op.Parameters).ToArray();

            // Two buffer sets: with two or more threads, samples n and n+1 are computed concurrently (each sample's
            // gradients depend only on the workspace), then delivered in order.
            var sets = _degree > 1 ? 2 : 1;
            var grads = PerSampleBuffers(sets);
            var doubles = _perSampleDoubles ??= [.. Enumerable.Range(0, 2).Select(_ => _params.Select(p => new double[p.Length]).ToArray())];
            void Compute(int sample, int set)
            {
                foreach (var op in live)
                {
                    op.ParameterGradients(w, sample, grads[set], 1);
                }

                foreach (var p in liveParams)
                {
                    ToDouble(grads[set][p], doubles[set][p]);
                }
            }

            foreach (var d in doubles.SelectMany(set => set))
            {
                Array.Clear(d);
            }

            for (var n = 0; n < batch.Count; n += sets)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (sets == 2 && n + 1 < batch.Count)
                {
                    var first = n;
                    KernelParallel.For(2, set => Compute(first + set, set));
                }
                else
                {
                    Compute(n, 0);
                }

                handler(n, doubles[0]);
                if (sets == 2 && n + 1 < batch.Count)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    handler(n + 1, doubles[1]);
                }
            }
        }
        finally
        {
            w.PerSample = false;
            ReleaseDerivedValues(w);
        }
    }

    /// <inheritdoc />
    public void PerSampleGradientSignVotes(Batch batch, IReadOnlyList<int> parameters, SignVoteHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var wanted = ParameterSubset.Mask(Spec, parameters);
        var w = Prepare(batch, needLabels: true);
        w.PerSample = true;
        wanted.CopyTo(w.ParamNeeded, 0);

        // Each thread has its own gradient buffers and pooled vote counters; integer votes make the final merge (into
        // thread 0's counters) exact and order-independent.
        var parts = Math.Clamp(_degree, 1, batch.Count);
        var votes = new int[parts][][];
        var nanFlags = new int[parts][][];
        for (var part = 0; part < parts; part++)
        {
            votes[part] = [.. parameters.Select(p => _pool.RentZeroed<int>(_params[p].Length))];
            nanFlags[part] = [.. parameters.Select(p => _pool.RentZeroed<int>(_params[p].Length))];
        }

        try
        {
            // Each layer votes right after its backward step (its output gradient is final then and is given back
            // afterwards): threads take samples one at a time, each thread with its own gradient buffers and counters.
            var position = new int[_params.Length];
            Array.Fill(position, -1);
            for (var i = 0; i < parameters.Count; i++)
            {
                position[parameters[i]] = i;
            }

            var grads = PerSampleBuffers(parts);
            RunForward(w, batch, ForwardKeep.Backward);
            StartBackward(w, inputGradient: false);
            Seed(w, batch, Objective.CrossEntropy, perSample: true);
            Sweep(w, tangents: false, afterBackward: op =>
            {
                var voted = op.Parameters.Where(p => position[p] >= 0).ToArray();
                if (voted.Length == 0 || cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                // Threads take the next sample as they become free, so a thread the machine preempts does not hold up
                // the layer (each sample's gradient and votes are the same whichever thread computes them).
                var next = -1;
                KernelParallel.For(parts, part =>
                {
                    for (int n; (n = Interlocked.Increment(ref next)) < batch.Count;)
                    {
                        op.ParameterGradients(w, n, grads[part], 1);
                        foreach (var p in voted)
                        {
                            SignAccumulator.Accumulate<T>(grads[part][p], votes[part][position[p]], nanFlags[part][position[p]]);
                        }
                    }
                });
            });
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < parameters.Count; i++)
            {
                for (var part = 1; part < parts; part++)
                {
                    TensorPrimitives.Add<int>(votes[0][i], votes[part][i], votes[0][i]);
                    TensorPrimitives.BitwiseOr<int>(nanFlags[0][i], nanFlags[part][i], nanFlags[0][i]);
                }

                var length = _params[parameters[i]].Length;
                handler(parameters[i], votes[0][i].AsSpan(0, length), nanFlags[0][i].AsSpan(0, length));
            }
        }
        finally
        {
            w.PerSample = false;
            for (var part = 0; part < parts; part++)
            {
                _pool.ReturnAll(votes[part]);
                _pool.ReturnAll(nanFlags[part]);
            }
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

        // After a backward pass on the same batch (GraSP), its forward values are reused. Its gradients are not held (they
        // would double the memory of the sweep below, which recomputes them alongside their tangents).
        RunForward(w, batch, ForwardKeep.Backward);

        // Segments below the top ones are recomputed in the sweep (see Segments): their values are then no longer all
        // held, so the held pass is forgotten and the product ends holding none.
        var segments = _recompute && ReferenceEquals(_active, Plan(ForwardKeep.Backward)) ? Segments() : null;
        if (segments is not null)
        {
            _held.Clear();
            foreach (var segment in segments.Where(s => s.Refreshed))
            {
                ReleaseSegment(w, segment);
            }
        }

        // The product writes no parameter gradients: their buffers go back until a backward pass rents them again.
        for (var p = 0; p < w.ParamGrads.Length; p++)
        {
            _pool.Return(w.ParamGrads[p]);
            w.ParamGrads[p] = [];
        }

        w.EnsureTangents();
        foreach (var op in _ops)
        {
            op?.PrepareTangents(batch.Count, _pool);
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

        RunTangentForward(w, segments);
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

        foreach (var p in w.ParamGradTangents)
        {
            Array.Clear(p);
        }

        // Each layer's parameter-gradient tangents right after its step; gradients and their tangents are given back
        // as the sweep passes.
        Sweep(w, tangents: true, afterBackward: op => op.ParameterGradientTangents(w), beforeLayer: segments is null ? null : i => EnterLayer(w, segments, i));
        w.Tangents.ReleaseAll();
        if (segments is not null)
        {
            w.Values.ReleaseAll();
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

        // NAS-Bench-201 cells apply one ReLU per edge to the same node, so several ReLU layers read the same slot: pack
        // each slot once per pass. Codes are packed from the ReLU's output: y > 0 exactly where x > 0 (NaN compares
        // false either way), and a sum only this ReLU reads is never written (FusedSums).
        var packed = new HashSet<int>();
        void Deliver(int i)
        {
            var input = _slotOf[Spec.Layers[i].Inputs[0]];
            var units = _slotSizes[input];
            var words = (units + 63) / 64;
            var codes = CodeBuffer(input, words * batch.Count);
            if (packed.Add(input))
            {
                // Samples are packed independently (whole words each), so ranges of samples can go to the threads.
                var values = w.Values[_slotOf[i]];
                Parallelism.For(w.Degree, batch.Count, units, (s, e) => ReluCodePack.Run<T>(
                    values.AsSpan(s * units, (e - s) * units), e - s, units, words, codes.AsSpan(s * words, (e - s) * words)));
            }

            handler(new ReluCodeBlock(i, units, words, codes));
        }

        if (HeldReluOutputs(batch) is { } plan)
        {
            // The workspace holds this batch's batch-statistics forward (a backward pass on the same network ran it):
            // every ReLU output is kept or recomputed from kept values by its cheap layers, so no convolution runs again.
            _active = plan;
            for (var i = 1; i < _ops.Length; i++)
            {
                if (Spec.Layers[i] is ReluLayer)
                {
                    var recomputed = new List<int>();
                    if (!packed.Contains(_slotOf[Spec.Layers[i].Inputs[0]]))
                    {
                        MaterializeValue(w, _slotOf[i], recomputed);
                    }

                    Deliver(i);
                    recomputed.ForEach(w.Values.Release);
                }
            }

            return;
        }

        // Streamed: each ReLU layer's codes are packed and handed over as the forward pass reaches it, while its input
        // is still held (nothing is kept for a backward pass).
        RunForward(w, batch, ForwardKeep.Stream, i =>
        {
            if (Spec.Layers[i] is ReluLayer)
            {
                Deliver(i);
            }
        });
    }

    /// <summary>The plan of the held forward pass when it is <paramref name="batch"/>'s and keeps or recomputes every
    /// ReLU output; otherwise null.</summary>
    private RecomputePlan? HeldReluOutputs(Batch batch)
    {
        if (!_held.HoldsForward(batch, ForwardKeep.Backward))
        {
            return null;
        }

        var plan = Plan(_held.Forward!.Value);
        for (var i = 1; i < _ops.Length; i++)
        {
            if (Spec.Layers[i] is ReluLayer && !plan.Kept[_slotOf[i]] && !plan.Derived[_slotOf[i]])
            {
                return null;
            }
        }

        return plan;
    }

    /// <summary>The pooled code buffer of <paramref name="slot"/>, of <paramref name="length"/> words.</summary>
    private ulong[] CodeBuffer(int slot, int length)
    {
        if (!_codes.TryGetValue(slot, out var codes) || codes.Length != length)
        {
            if (codes is not null)
            {
                _pool.Return(codes);
            }

            _codes[slot] = codes = _pool.Rent<ulong>(length);
        }

        return codes;
    }

    /// <inheritdoc />
    public void LayerOutputs(Batch batch, IReadOnlyList<int> layers, LayerOutputHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var wanted = LayerSubset.Sorted(Spec, layers);
        var w = Prepare(batch, needLabels: false);
        if (wanted.Length == 0)
        {
            RunForward(w, batch, ForwardKeep.Stream);
            return;
        }

        // Streamed: each wanted layer's output is handed over as the forward pass reaches it (in increasing layer order,
        // as the list is sorted), while its slot is still held; nothing else is kept. Sums keep their own pass (a wanted
        // sum must be written). Every layer's output lives in its
        // slot (removed BatchNorms and shared ReLUs read their input's / twin's slot), written before the layer's index.
        // A layer without an op whose slot nothing reads after it (a dangling removed BatchNorm) is given back before the
        // pass reaches it: then every slot is kept instead.
        var keep = wanted.All(l => _ops[l] is not null || l == 0 || _lastReader[_slotOf[l]] > l) ? ForwardKeep.Stream : ForwardKeep.All;
        var longest = wanted.Max(l => _slotSizes[_slotOf[l]]) * batch.Count;
        var scratch = typeof(T) == typeof(double) ? null : _pool.Rent<double>(longest);
        var next = 0;
        try
        {
            RunForward(w, batch, keep, fuseSums: false, afterLayer: i =>
            {
                for (; next < wanted.Length && wanted[next] == i; next++)
                {
                    var slot = _slotOf[i];
                    var n = _slotSizes[slot] * batch.Count;
                    if (_ops[i] is ZeroOp<T>)
                    {
                        Array.Clear(w.Values[slot]); // the pass leaves it unwritten when only sums read it
                    }

                    if (scratch is null)
                    {
                        handler(i, ((double[])(object)w.Values[slot]).AsSpan(0, n));
                    }
                    else
                    {
                        TensorPrimitives.ConvertTruncating<T, double>(w.Values[slot].AsSpan(0, n), scratch.AsSpan(0, n));
                        handler(i, scratch.AsSpan(0, n));
                    }
                }
            });
        }
        finally
        {
            if (scratch is not null)
            {
                _pool.Return(scratch);
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<LayerSaliency> OutputSaliencies(Batch batch, Objective objective)
    {
        CheckObjective(objective);
        var w = Prepare(batch, objective == Objective.CrossEntropy);
        RunForward(w, batch, ForwardKeep.Saliencies);
        StartBackward(w, inputGradient: false);
        Seed(w, batch, objective, perSample: false);

        // Each layer's saliencies right after its backward step, before its output gradient is given back; layers
        // that received no gradient keep zeros.
        var values = new double[_ops.Length][];
        Sweep(w, tangents: false, afterBackward: op =>
        {
            if (op is ConvOp<T> or LinearOp<T>)
            {
                var a = w.Values[op.Output];
                var g = w.Grads[op.Output];
                var spatial = op is ConvOp<T> c ? c.Spatial : 1;
                var v = values[op.Layer] = new double[a.Length / spatial];
                for (var i = 0; i < v.Length; i++)
                {
                    v[i] = PackedSum.Dot<T>(a.AsSpan(i * spatial, spatial), g.AsSpan(i * spatial, spatial));
                }
            }
        });
        var result = new List<LayerSaliency>();
        foreach (var op in _ops)
        {
            var (weight, channels) = op switch
            {
                ConvOp<T> c => (c.Weight, c.Channels),
                LinearOp<T> l => (l.Weight, l.Channels),
                _ => (-1, 0),
            };
            if (weight >= 0)
            {
                result.Add(new LayerSaliency(op!.Layer, weight, channels, values[op.Layer] ?? new double[batch.Count * channels]));
            }
        }

        return result;
    }

    /// <summary>Forward, seed, backward sweep and the <paramref name="wanted"/> batch parameter gradients; returns the
    /// workspace and the objective's value. No activation gradient stays held afterwards (the input's, if asked for).</summary>
    private (Workspace<T> W, double Value) BackwardPass(Batch batch, Objective objective, bool inputGradient, bool[] wanted)
    {
        CheckObjective(objective);
        var w = Prepare(batch, objective == Objective.CrossEntropy);
        wanted.CopyTo(w.ParamNeeded, 0);
        RunForward(w, batch, ForwardKeep.Backward);
        StartBackward(w, inputGradient);
        var value = Seed(w, batch, objective, perSample: false);
        RentParameterGradients(w);
        if (w.Batch >= LayerParallelBatchLimit || _degree == 1)
        {
            // Each layer's weight gradient right after its backward pass, while its output gradient is still in cache.
            Sweep(w, tangents: false, afterBackward: op => op.ParameterGradients(w, -1, w.ParamGrads, _degree));
        }
        else
        {
            // Small batches: the layers' weight gradients run concurrently after the sweep, which needs every gradient.
            // Recomputed values stay until then too.
            Sweep(w, tangents: false, retainGradients: true);
            LayerParallelParameterGradients(w);
            ReleaseDerivedValues(w);
            ReleaseOutputGradients(w);
        }

        ZeroUnwrittenParameterGradients(w);
        return (w, value);
    }

    /// <summary>Makes sure every parameter has a gradient buffer (a float64 <see cref="Backward(Batch, Objective, bool)"/> hands its buffers to the caller).</summary>
    private void RentParameterGradients(Workspace<T> w)
    {
        for (var p = 0; p < _params.Length; p++)
        {
            if (w.ParamGrads[p].Length != _params[p].Length)
            {
                w.ParamGrads[p] = _pool.Rent<T>(_params[p].Length);
            }
        }
    }

    /// <summary>Batch parameter gradients of every layer that received a gradient, layers running concurrently.</summary>
    /// <remarks>
    /// Layers' weight gradients are independent. With few samples a kernel has too little work to split across threads
    /// (a fork-join per layer costs more than it saves), so the layers run concurrently instead, one thread each,
    /// largest first onto the least-loaded thread. Each layer's result is the same as when its kernel splits its own
    /// work (kernels do not depend on their thread count).
    /// </remarks>
    private void LayerParallelParameterGradients(Workspace<T> w)
    {
        var bins = Enumerable.Range(0, _degree).Select(_ => new List<LayerOp<T>>()).ToArray();
        var load = new long[_degree];
        foreach (var op in LiveOps(w).OrderByDescending(op => op.ParameterGradientCost))
        {
            var b = Array.IndexOf(load, load.Min());
            bins[b].Add(op);
            load[b] += op.ParameterGradientCost;
        }

        KernelParallel.For(_degree, b =>
        {
            foreach (var op in bins[b])
            {
                op.ParameterGradients(w, -1, w.ParamGrads, 1);
            }
        });
    }

    /// <summary>Every op overwrites its wanted parameters' gradients, so only the wanted parameters of layers that
    /// received no gradient (dead edges, removed layers) need zeros.</summary>
    private void ZeroUnwrittenParameterGradients(Workspace<T> w)
    {
        var written = new bool[w.ParamGrads.Length];
        foreach (var p in LiveOps(w).SelectMany(op => op.Parameters))
        {
            written[p] = true;
        }

        for (var p = 0; p < written.Length; p++)
        {
            if (!written[p] && w.ParamNeeded[p])
            {
                Array.Clear(w.ParamGrads[p]);
            }
        }
    }

    /// <summary>The layers whose outputs received gradients in the last sweep.</summary>
    private IEnumerable<LayerOp<T>> LiveOps(Workspace<T> w) => _ops.Where(op => op is not null && w.GradWritten[op.Output]).Select(op => op!);

    /// <summary>
    /// The shared part of the per-sample passes: the forward pass with per-sample BatchNorm statistics, each sample's
    /// own cross-entropy seed and the backward sweep; returns the layers whose outputs received gradients.
    /// </summary>
    private LayerOp<T>[] PerSampleSweep(Workspace<T> w, Batch batch)
    {
        RunForward(w, batch, ForwardKeep.Backward);
        StartBackward(w, inputGradient: false);
        Seed(w, batch, Objective.CrossEntropy, perSample: true);
        Sweep(w, tangents: false, retainGradients: true);
        return [.. LiveOps(w)];
    }

    /// <summary>
    /// <paramref name="sets"/> zeroed per-sample gradient buffer sets (parameters no live layer writes stay zero), rented
    /// from the pool and kept until the workspace is released.
    /// </summary>
    private T[][][] PerSampleBuffers(int sets)
    {
        if (_perSample.Length < sets)
        {
            _perSample = [.. _perSample, .. Enumerable.Range(0, sets - _perSample.Length).Select(_ => _params.Select(p => _pool.Rent<T>(p.Length)).ToArray())];
        }

        foreach (var a in _perSample.Take(sets).SelectMany(set => set))
        {
            Array.Clear(a);
        }

        return _perSample;
    }
}
