using System.Numerics;
using System.Numerics.Tensors;
using GradSign.Backends.Execution;
using GradSign.Backends.Managed.Kernels;
using GradSign.Backends.Managed.Ops;
using GradSign.Networks;

namespace GradSign.Backends.Managed;

/// <summary>
/// A network compiled for the managed backend in precision <typeparamref name="T"/>. Every layer output has a
/// slot; removed BatchNorms share their input's slot.
/// </summary>
/// <remarks>
/// Memory follows liveness: a forward pass keeps only the slots some backward pass reads (each op's
/// <see cref="LayerOp{T}.SavedSlots"/>) and gives the others back to the pool after their last reader; a backward sweep
/// gives each gradient back once its producer (and everything that reads it, such as the layer's parameter gradients)
/// ran. Peak memory is then the saved activations plus a frontier of gradients rather than every slot four times.
/// </remarks>
internal sealed partial class ManagedExecutor<T> : INetworkExecutor
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] _params;
    private readonly LayerOp<T>?[] _ops;
    private readonly int[] _slotOf;
    private readonly int[] _slotSizes;
    private readonly bool[] _zeroSlots;
    private readonly int[] _lastReader;    // per slot: the last op (layer index) reading it in a forward pass, −1 if none
    private readonly bool[] _activation;   // per slot: a conv/linear output (output saliencies read it)
    private readonly int[] _gradientOwner; // per slot: the slot whose gradient buffer it uses (see ShareSumGradients)
    private readonly LayerOp<T>?[] _producer; // per slot: the op writing it (null for the input)
    private readonly ReluOp<T>?[] _reluOfSum;  // per layer index: for a sum or BatchNorm a ReLU reads, that ReLU (see FusedSums)
    private readonly bool[] _reluReadsSum;     // per slot: a sum or BatchNorm output a ReLU reads
    private readonly bool[] _fusedSum;         // per slot: a sum only a ReLU reads
    private readonly RecomputePlan?[] _plans = new RecomputePlan?[4]; // per ForwardKeep, built on first use
    private RecomputePlan _active;         // the plan of the forward pass the workspace holds
    private readonly bool _recompute;      // false: plans keep every value a later pass reads
    private readonly int _degree;
    private readonly BufferPool _pool;
    private readonly KernelScratch _scratch;
    private Workspace<T>? _workspace;
    private T[][][] _perSample = [];
    private double[][][]? _perSampleDoubles;
    private readonly Dictionary<int, ulong[]> _codes = [];
    private readonly HeldPass _held;
    private bool _disposed;

    public ManagedExecutor(NetworkWeights weights, ExecutionOptions options, BufferPool pool, KernelScratch scratch, bool recompute)
    {
        _scratch = scratch;
        _recompute = recompute;
        _pool = pool;
        _held = new HeldPass(pool);
        Spec = weights.Spec;
        Options = options;
        _degree = options.ThreadCount;
        _params = new T[Spec.Parameters.Count][];
        for (var i = 0; i < _params.Length; i++)
        {
            // Pooled: most executors live for one proxy call, and fresh arrays cost page faults and zeroing.
            var source = weights[i];
            var p = _params[i] = pool.Rent<T>(source.Length);
            TensorPrimitives.ConvertTruncating<float, T>(source, p);
            if (options.ParameterTransform == ParameterTransform.Absolute)
            {
                TensorPrimitives.Abs<T>(p, p);
            }
        }

        var layers = Spec.Layers;
        _ops = new LayerOp<T>?[layers.Count];
        _slotOf = new int[layers.Count];
        var sizes = new List<int> { Size(layers[0].OutputShape) };
        var zero = new List<bool> { true };
        var reluOf = new Dictionary<int, int>();
        var onlySumsRead = OnlySumsRead(layers);
        for (var i = 1; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (layer is BatchNormLayer bn && Removed(bn, options.BatchNormMode))
            {
                _slotOf[i] = _slotOf[bn.Inputs[0]];
                continue;
            }

            // NAS-Bench-201 cells apply a separate ReLU per conv edge to the same node: compute it once and share
            // the slot (consumers then add their gradients into the shared slot, which is the same sum).
            if (layer is ReluLayer && reluOf.TryGetValue(_slotOf[layer.Inputs[0]], out var shared))
            {
                _slotOf[i] = shared;
                continue;
            }

            if (layer is ReluLayer)
            {
                reluOf[_slotOf[layer.Inputs[0]]] = sizes.Count;
            }

            var output = _slotOf[i] = sizes.Count;
            sizes.Add(Size(layer.OutputShape));
            zero.Add(layer is ZeroLayer);
            _ops[i] = CreateOp(i, layer, output, onlySumsRead);
        }

        _slotSizes = [.. sizes];
        _zeroSlots = [.. zero];
        _lastReader = new int[_slotSizes.Length];
        Array.Fill(_lastReader, -1);
        _activation = new bool[_slotSizes.Length];
        for (var i = 0; i < _ops.Length; i++)
        {
            if (_ops[i] is not { } op)
            {
                continue;
            }

            foreach (var input in op.Inputs)
            {
                _lastReader[input] = i;
            }

            _activation[op.Output] = op is ConvOp<T> or LinearOp<T>;
        }

        _gradientOwner = ShareSumGradients();
        _producer = new LayerOp<T>?[_slotSizes.Length];
        foreach (var op in _ops)
        {
            if (op is not null)
            {
                _producer[op.Output] = op;
            }
        }

        (_reluOfSum, _reluReadsSum, _fusedSum) = FusedSums();
        _active = Plan(ForwardKeep.Stream);
    }

    /// <summary>
    /// Sums a ReLU reads (NAS-Bench-201: every node with a convolution edge out of it). The forward pass computes the
    /// ReLU's output in the sum's pass (<see cref="AddOp{T}.ForwardRelu"/>), block by block while the sum is in cache.
    /// Where nothing else reads the sum (an inner node whose outgoing edges are all convolutions; a <c>none</c> edge reads
    /// no value), the sum itself is never written: its last addition applies the ReLU, one pass over the activation
    /// instead of three, in the forward pass and wherever the ReLU's output is recomputed. A plan that keeps such a sum
    /// (a pass keeping every slot) gets both written. A BatchNorm output a ReLU reads (NAS-Bench-201: node 1 of a cell,
    /// the last BatchNorm) gets its ReLU in the normalising pass the same way (<see cref="BatchNormOp{T}.ForwardRelu"/>).
    /// </summary>
    private (ReluOp<T>?[] ReluOf, bool[] ReluReads, bool[] Fused) FusedSums()
    {
        var readers = new int[_slotSizes.Length];
        var saved = new bool[_slotSizes.Length];
        foreach (var op in _ops)
        {
            if (op is null or ZeroOp<T>)
            {
                continue;
            }

            foreach (var input in op.Inputs.Distinct())
            {
                readers[input]++;
            }

            foreach (var slot in op.SavedSlots)
            {
                saved[slot] = true;
            }
        }

        var reluOf = new ReluOp<T>?[_ops.Length];
        var reads = new bool[_slotSizes.Length];
        var fused = new bool[_slotSizes.Length];
        foreach (var op in _ops)
        {
            if (op is ReluOp<T> relu && _producer[relu.Inputs[0]] is AddOp<T> add)
            {
                reluOf[add.Layer] = relu;
                reads[add.Output] = true;
                fused[add.Output] = readers[add.Output] == 1 && !saved[add.Output] && add.Output != LogitsSlot;
            }
            else if (op is ReluOp<T> r && _producer[r.Inputs[0]] is BatchNormOp<T> bn)
            {
                reluOf[bn.Layer] = r;
                reads[bn.Output] = true;
            }
        }

        return (reluOf, reads, fused);
    }

    /// <summary>Forward passes run so far, held passes reused not counted (tests check reuse).</summary>
    internal int ForwardPassesRun { get; private set; }

    /// <summary>Bytes of the values a forward pass of kind <paramref name="keep"/> on <paramref name="batch"/> samples keeps
    /// in its slots (tests compare plans).</summary>
    internal unsafe long KeptValueBytes(ForwardKeep keep, int batch) => Plan(keep).KeptUnits(_slotSizes) * batch * sizeof(T);

    /// <summary>The recompute plan of a forward pass of kind <paramref name="keep"/> (see <see cref="RecomputePlan"/>).</summary>
    private RecomputePlan Plan(ForwardKeep keep)
    {
        if (_plans[(int)keep] is { } built)
        {
            return built;
        }

        var n = _slotSizes.Length;
        var needed = new bool[n];
        var readers = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        var otherReaders = new bool[n];
        foreach (var op in _ops)
        {
            if (op is null)
            {
                continue;
            }

            if (keep != ForwardKeep.Stream)
            {
                foreach (var slot in op.SavedSlots)
                {
                    needed[slot] = true;
                    readers[slot].Add(op.Layer);
                }

                // Output saliencies read a conv or linear output right after its layer's backward step.
                if (keep == ForwardKeep.Saliencies && _activation[op.Output])
                {
                    needed[op.Output] = true;
                    readers[op.Output].Add(op.Layer);
                }
            }

            if (op is not ReluOp<T>)
            {
                foreach (var input in op.ForwardInputs)
                {
                    otherReaders[input] = true;
                }
            }
        }

        if (keep == ForwardKeep.All)
        {
            Array.Fill(needed, true);
        }

        var always = new bool[n];
        always[LogitsSlot] = true;
        return _plans[(int)keep] = RecomputePlan.Build(
            needed,
            always,
            [.. _producer.Select(op => op?.Recomputable ?? false)],
            [.. _producer.Select(op => op?.ForwardInputs.ToArray() ?? [])],
            [.. _producer.Select(op => op is ReluOp<T>)],
            otherReaders,
            readers,
            _ops.Length,
            allowRecompute: _recompute && keep != ForwardKeep.All);
    }

    /// <summary>
    /// A sum's input that nothing else reads (NAS-Bench-201: every edge's BatchNorm output feeding its node) receives
    /// exactly the sum's gradient, so it shares the sum's gradient (and gradient-tangent) buffer instead of getting a
    /// copy. Sums are visited last to first so that a sum feeding another sum resolves to the final owner.
    /// </summary>
    private int[] ShareSumGradients()
    {
        var readers = new int[_slotSizes.Length];
        foreach (var op in _ops)
        {
            foreach (var input in op?.Inputs ?? [])
            {
                readers[input]++;
            }
        }

        var owner = Enumerable.Range(0, _slotSizes.Length).ToArray();
        for (var i = _ops.Length - 1; i >= 1; i--)
        {
            if (_ops[i] is not AddOp<T> add)
            {
                continue;
            }

            for (var k = 0; k < add.Inputs.Length; k++)
            {
                var input = add.Inputs[k];
                if (input != 0 && readers[input] == 1 && _slotSizes[input] == _slotSizes[add.Output])
                {
                    owner[input] = owner[add.Output];
                    add.SharesGradient[k] = true;
                }
            }
        }

        return owner;
    }

    /// <inheritdoc />
    public NetworkSpec Spec { get; }

    /// <inheritdoc />
    public ExecutionOptions Options { get; }

    private int LogitsSlot => _slotOf[^1];

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ReleaseWorkspace();
        _held.Release();
        _pool.ReturnAll(_params);
        _perSampleDoubles = null;
        foreach (var codes in _codes.Values)
        {
            _pool.Return(codes);
        }

        _codes.Clear();
    }

    private static bool Removed(BatchNormLayer bn, BatchNormMode mode) => mode switch
    {
        BatchNormMode.RemoveAll => true,
        BatchNormMode.RemoveRemovable => bn.Removable,
        _ => false,
    };

    private static int Size(IReadOnlyList<int> shape)
    {
        var n = 1;
        foreach (var d in shape)
        {
            n = checked(n * d);
        }

        return n;
    }

    private LayerOp<T> CreateOp(int index, LayerSpec layer, int output, bool[] onlySumsRead)
    {
        var layers = Spec.Layers;
        int In(int k) => _slotOf[layer.Inputs[k]];
        IReadOnlyList<int> InShape(int k) => layers[layer.Inputs[k]].OutputShape;
        switch (layer)
        {
            case Conv2dLayer c:
                {
                    var s = InShape(0);
                    var g = new ConvGeometry(c.InChannels, s[1], s[2], c.OutChannels, c.Kernel, c.Stride, c.Padding);
                    return new ConvOp<T>(index, output, In(0), g, c.Weight, c.Bias);
                }

            case BatchNormLayer b:
                return new BatchNormOp<T>(index, output, In(0), b.Channels, b.OutputShape[1] * b.OutputShape[2], b.Weight, b.Bias, b.Epsilon);
            case ReluLayer:
                return new ReluOp<T>(index, output, In(0), Size(layer.OutputShape));
            case PoolLayer p:
                {
                    var s = InShape(0);
                    var g = new PoolGeometry(s[1], s[2], p.Kernel, p.Stride, p.Padding, p.CountIncludePad);
                    return new PoolOp<T>(index, output, In(0), s[0], g, p.Kind == PoolKind.Max);
                }

            case GlobalAvgPoolLayer:
                {
                    var s = InShape(0);
                    return new GlobalAvgPoolOp<T>(index, output, In(0), s[0], s[1] * s[2]);
                }

            case LinearLayer l:
                return new LinearOp<T>(index, output, In(0), l.InFeatures, l.OutFeatures, l.Weight, l.Bias);
            case AddLayer:
                return new AddOp<T>(index, output, [.. layer.Inputs.Select(i => _slotOf[i])], [.. layer.Inputs.Select(i => layers[i] is ZeroLayer)]);
            case ZeroLayer:
                return new ZeroOp<T>(index, output, In(0), written: !onlySumsRead[index]);
            case ConcatLayer:
                return new ConcatOp<T>(index, output, [.. layer.Inputs.Select(i => _slotOf[i])], [.. layer.Inputs.Select(i => Size(layers[i].OutputShape))]);
            case TruncateLayer:
                return new TruncateOp<T>(index, output, In(0), Size(InShape(0)), Size(layer.OutputShape));
            default:
                throw new NotSupportedException($"The managed backend cannot run layer '{layer.Name}' of type {layer.GetType().Name}.");
        }
    }

    /// <summary>Per layer: whether it has readers and every one is a sum, so that nothing reads a <c>none</c> output's
    /// values (<see cref="AddOp{T}"/> leaves zero inputs out).</summary>
    private static bool[] OnlySumsRead(IReadOnlyList<LayerSpec> layers)
    {
        var read = new bool[layers.Count];
        var other = new bool[layers.Count];
        foreach (var layer in layers)
        {
            foreach (var input in layer.Inputs)
            {
                read[input] = true;
                other[input] |= layer is not AddLayer;
            }
        }

        return [.. read.Select((r, i) => r && !other[i])];
    }

    private Workspace<T> Prepare(Batch batch, bool needLabels)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(batch);
        var shape = Spec.InputShape;
        if (batch.Channels != shape[0] || batch.Height != shape[1] || batch.Width != shape[2])
        {
            throw new ArgumentException(
                $"The batch's samples are {batch.Channels}x{batch.Height}x{batch.Width} but the network expects {shape[0]}x{shape[1]}x{shape[2]}.", nameof(batch));
        }

        if (needLabels)
        {
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

        if (_workspace is null || _workspace.Batch != batch.Count)
        {
            ReleaseWorkspace();
            var w = new Workspace<T>(batch.Count, _slotSizes, [.. _zeroSlots], _gradientOwner, _params, _degree, _pool, _scratch);
            foreach (var op in _ops)
            {
                op?.Prepare(batch.Count, _pool);
            }

            _workspace = w;
        }

        _workspace.PerSample = false;
        return _workspace;
    }

    /// <summary>Gives the workspace's and the layers' buffers back to the backend's pool.</summary>
    private void ReleaseWorkspace()
    {
        _held.Clear();
        if (_workspace is { } w)
        {
            _workspace = null;
            w.Release();
            foreach (var set in _perSample)
            {
                _pool.ReturnAll(set);
            }

            _perSample = [];
            foreach (var op in _ops)
            {
                op?.Release(_pool);
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

    /// <summary>
    /// Runs the forward pass unless the workspace already holds this batch's batch-statistics forward with at least the
    /// slots <paramref name="keep"/> asks for. Slots not kept are given back right after their last reader;
    /// <paramref name="afterLayer"/> runs after every layer index (its op, if any, has run; its inputs are still held,
    /// except a sum only a ReLU reads, which is never written unless <paramref name="fuseSums"/> is false).
    /// </summary>
    private void RunForward(Workspace<T> w, Batch batch, ForwardKeep keep, Action<int>? afterLayer = null, bool fuseSums = true)
    {
        if (afterLayer is null && !w.PerSample && _held.HoldsForward(batch, keep))
        {
            _active = Plan(_held.Forward!.Value);
            return;
        }

        _held.Clear();
        ForwardPassesRun++;
        _active = Plan(keep);
        TensorPrimitives.ConvertTruncating<float, T>(batch.Images, w.Values[0]);
        afterLayer?.Invoke(0);
        for (var i = 1; i < _ops.Length; i++)
        {
            if (_ops[i] is not { } op)
            {
                afterLayer?.Invoke(i);
                continue;
            }

            ForwardLayer(w, op, fuseSums ? (1, _ops.Length - 1) : null);
            afterLayer?.Invoke(i);
            ReleaseRead(op, i, segmented: false, w.Values.Release);
        }

        if (!w.PerSample && keep != ForwardKeep.Stream)
        {
            _held.SetForward(batch, keep);
        }
    }

    /// <summary>
    /// Runs <paramref name="op"/>'s forward pass. With <paramref name="fused"/>, layers [First, Last] run fused
    /// (<see cref="FusedSums"/>): a sum or BatchNorm whose ReLU lies in the range also writes that ReLU's output (a sum only
    /// the ReLU reads, and that the active plan does not keep, is then never written), and a ReLU whose input's layer lies
    /// in the range is skipped, its output written already.
    /// </summary>
    private void ForwardLayer(Workspace<T> w, LayerOp<T> op, (int First, int Last)? fused)
    {
        if (fused is not { } range)
        {
            op.Forward(w);
            return;
        }

        var relu = _reluOfSum[op.Layer] is { } r && r.Layer <= range.Last ? r : null;
        if (relu is not null && op is BatchNormOp<T> norm)
        {
            norm.ForwardRelu(w, w.Values[relu.Output]);
        }
        else if (relu is not null)
        {
            var sum = _fusedSum[op.Output] && !_active.Kept[op.Output] ? null : w.Values[op.Output];
            ((AddOp<T>)op).ForwardRelu(w, w.Values[relu.Output], sum);
        }
        else if (!(op is ReluOp<T> && _reluReadsSum[op.Inputs[0]] && ProducerLayer(op.Inputs[0]) >= range.First))
        {
            op.Forward(w);
        }
    }

    /// <summary>After layer <paramref name="i"/> (<paramref name="op"/>) of a forward-style pass: hands <paramref name="release"/>
    /// each input it was the last reader of, and its output if nothing reads it, unless the active plan keeps them or,
    /// <paramref name="segmented"/>, they are a recomputed segment's cut slot (see <see cref="Dropped"/>).</summary>
    private void ReleaseRead(LayerOp<T> op, int i, bool segmented, Action<int> release)
    {
        foreach (var input in op.Inputs)
        {
            if (_lastReader[input] == i && Dropped(input, segmented))
            {
                release(input);
            }
        }

        if (_lastReader[op.Output] < 0 && Dropped(op.Output, segmented))
        {
            release(op.Output);
        }
    }

    /// <summary>Gives back a tangent and, if the active plan recomputes it, its value.</summary>
    private void ReleaseTangent(Workspace<T> w, int slot)
    {
        w.Tangents.Release(slot);
        ReleaseDerivedValue(w, slot);
    }

    /// <summary>
    /// Tangent forward pass (the values of the active plan held; recomputed ones are recomputed as layers read them).
    /// Tangents the plan does not keep are given back after their last reader, as are recomputed values.
    /// </summary>
    private void RunTangentForward(Workspace<T> w, HvpSegment[]? segments = null)
    {
        var segmented = segments is not null;
        var segment = 0;
        for (var i = 1; i < _ops.Length; i++)
        {
            if (segments is not null && segments[segment] is { Refreshed: true } refreshed && refreshed.First == i)
            {
                RecomputeValues(w, refreshed);
            }

            if (_ops[i] is not { } op)
            {
                continue;
            }

            MaterializeValues(w, op);
            op.TangentForward(w);
            ReleaseRead(op, i, segmented, slot => ReleaseTangent(w, slot));

            if (segments is null)
            {
                continue;
            }

            if (segments[segment].Last == i)
            {
                // A recomputed segment keeps its cut slot's value (a sum the forward pass fused with its ReLU was never
                // written) and tangent for the segment above; everything else of it goes.
                if (segments[segment].Checkpointed)
                {
                    MaterializeValue(w, segments[segment].Cut, null);
                }

                segment++;
            }

            ReleaseInterior(w, i);
        }

        ReleaseDerivedValues(w, segmented);
    }

    /// <summary>Recomputes the values <paramref name="op"/> reads after the forward pass (its saved slots) that the
    /// active plan does not keep.</summary>
    private void MaterializeValues(Workspace<T> w, LayerOp<T> op)
    {
        foreach (var slot in op.SavedSlots)
        {
            MaterializeValue(w, slot, null);
        }
    }

    /// <summary>Recomputes the value of <paramref name="slot"/> unless it is held, recomputing the inputs it needs in turn;
    /// inputs recomputed only for it are given back afterwards. <paramref name="temporaries"/>, when given, collects
    /// instead what this call recomputed.</summary>
    private void MaterializeValue(Workspace<T> w, int slot, List<int>? temporaries)
    {
        if (w.Values.Holds(slot))
        {
            return;
        }

        var op = _producer[slot];
        if (op is null || !op.Recomputable)
        {
            throw new InvalidOperationException($"Slot {slot} ('{Spec.Layers[op?.Layer ?? 0].Name}') is neither held nor recomputable.");
        }

        var inner = new List<int>();
        if (op is ReluOp<T> relu && _producer[relu.Inputs[0]] is AddOp<T> add && !w.Values.Holds(relu.Inputs[0]))
        {
            // ReLU(sum) from the sum's inputs in one pass (see FusedSums); a layer that reads the sum recomputes it itself.
            foreach (var input in add.ForwardInputs)
            {
                MaterializeValue(w, input, inner);
            }

            add.ForwardRelu(w, w.Values[slot], null);
        }
        else
        {
            foreach (var input in op.ForwardInputs)
            {
                MaterializeValue(w, input, inner);
            }

            op.Forward(w);
        }

        temporaries?.Add(slot);
        foreach (var t in inner)
        {
            w.Values.Release(t);
        }
    }

    /// <summary>Recomputes the tangent of <paramref name="slot"/> unless it is held (its value too, and the input
    /// tangents it needs; those recomputed only for it are given back afterwards).</summary>
    private void MaterializeTangent(Workspace<T> w, int slot, List<int>? temporaries)
    {
        if (w.Tangents.Holds(slot) || w.TangentZero[slot])
        {
            return;
        }

        var op = _producer[slot];
        if (op is null || !op.Recomputable)
        {
            throw new InvalidOperationException($"The tangent of slot {slot} ('{Spec.Layers[op?.Layer ?? 0].Name}') is neither held nor recomputable.");
        }

        var values = new List<int>();
        foreach (var s in op.SavedSlots)
        {
            MaterializeValue(w, s, values);
        }

        var inner = new List<int>();
        foreach (var input in op.ForwardInputs)
        {
            MaterializeTangent(w, input, inner);
        }

        op.TangentForward(w);
        temporaries?.Add(slot);
        foreach (var t in inner)
        {
            w.Tangents.Release(t);
        }

        foreach (var v in values)
        {
            w.Values.Release(v);
        }
    }

    /// <summary>Gives a value back if the active plan recomputes it (kept values stay).</summary>
    private void ReleaseDerivedValue(Workspace<T> w, int slot)
    {
        if (!_active.Kept[slot] && slot != 0)
        {
            w.Values.Release(slot);
        }
    }

    /// <summary>Gives back every held value the active plan does not keep (recomputed values still held), but, in a
    /// <paramref name="segmented"/> Hessian-vector product, the cut slots of recomputed segments.</summary>
    private void ReleaseDerivedValues(Workspace<T> w, bool segmented = false)
    {
        for (var s = 1; s < _slotSizes.Length; s++)
        {
            if (Dropped(s, segmented))
            {
                w.Values.Release(s);
            }
        }
    }

    /// <summary>Seeds ∂objective/∂logits and returns the objective's value. Per sample: each sample's own loss (no 1/N).</summary>
    private double Seed(Workspace<T> w, Batch batch, Objective objective, bool perSample)
    {
        var classes = Spec.NumClasses;
        var logits = w.Values[LogitsSlot];
        var grad = w.Grads[LogitsSlot];
        w.GradWritten[LogitsSlot] = true;
        if (objective == Objective.SumOfLogits)
        {
            Array.Fill(grad, T.One);
            var sum = 0.0;
            foreach (var v in logits)
            {
                sum += double.CreateTruncating(v);
            }

            return sum;
        }

        var scale = perSample ? T.One : T.One / T.CreateTruncating(batch.Count);
        return CrossEntropy.Run<T>(logits, batch.Labels, classes, scale, grad) / (perSample ? 1 : batch.Count);
    }

    /// <summary>
    /// Reverse sweep propagating activation gradients and, with <paramref name="tangents"/>, their tangents;
    /// <paramref name="afterBackward"/> runs after each layer (its output gradient is final by then). Values the active
    /// plan recomputes are recomputed before the first layer (in sweep order) that reads them. Afterwards each layer's
    /// output gradient is given back, as are recomputed values after their last reader, unless
    /// <paramref name="retainGradients"/> keeps both until the caller is done (gradient tangents are always given back).
    /// <paramref name="beforeLayer"/> runs at each layer index before its step (a Hessian-vector product recomputes a
    /// segment there).
    /// </summary>
    private void Sweep(Workspace<T> w, bool tangents, Action<LayerOp<T>>? afterBackward = null, bool retainGradients = false, Action<int>? beforeLayer = null)
    {
        var plan = _active;
        for (var i = _ops.Length - 1; i >= 1; i--)
        {
            var op = _ops[i];
            if (!retainGradients && i + 1 < _ops.Length)
            {
                // Values (and tangents) recomputed for the layers above are read by none below.
                foreach (var s in plan.ReleaseAfter[i + 1])
                {
                    w.Values.Release(s);
                    if (tangents)
                    {
                        w.Tangents.Release(s);
                    }
                }
            }

            if (tangents && i + 1 < _ops.Length)
            {
                // A tangent sweep is the last pass to read tangents: kept ones go after their last reader too (the values
                // stay for later passes on the same batch).
                foreach (var s in plan.KeptLastUsedBy[i + 1])
                {
                    w.Tangents.Release(s);
                }
            }

            beforeLayer?.Invoke(i);
            if (op is null || !w.GradWritten[op.Output])
            {
                continue;
            }

            MaterializeValues(w, op);
            if (tangents)
            {
                foreach (var s in op.SavedSlots)
                {
                    MaterializeTangent(w, s, null);
                }

                op.BackwardTangent(w);
            }

            op.Backward(w);
            afterBackward?.Invoke(op);
            if (!retainGradients)
            {
                w.Grads.Release(op.Output);
            }

            if (tangents)
            {
                w.GradTangents.Release(op.Output);
            }
        }

        if (!retainGradients)
        {
            ReleaseDerivedValues(w);
        }
    }

    /// <summary>Gives back every layer output's gradient (the input's stays).</summary>
    private void ReleaseOutputGradients(Workspace<T> w)
    {
        foreach (var op in _ops)
        {
            if (op is not null)
            {
                w.Grads.Release(op.Output);
            }
        }
    }

    private void StartBackward(Workspace<T> w, bool inputGradient)
    {
        w.Grads.ReleaseAll();
        Array.Clear(w.GradWritten);
        Array.Clear(w.GradTangentWritten);
        Array.Fill(w.NeedsGrad, true);
        w.NeedsGrad[0] = inputGradient;
    }

    private static void ToDouble(T[] source, double[] destination) => TensorPrimitives.ConvertTruncating<T, double>(source, destination);
}

/// <summary>Which slot values a forward pass keeps once their last forward reader ran (values a cheap layer can
/// recompute are recomputed instead where the plan says so, see <see cref="RecomputePlan"/>).</summary>
internal enum ForwardKeep
{
    /// <summary>Only the logits (a forward pass with no backward pass after it).</summary>
    Stream,

    /// <summary>What the backward, per-sample and Hessian-vector passes read (every op's saved slots).</summary>
    Backward,

    /// <summary>As <see cref="Backward"/>, plus the conv and linear outputs (output saliencies).</summary>
    Saliencies,

    /// <summary>Every slot, none recomputed.</summary>
    All,
}

