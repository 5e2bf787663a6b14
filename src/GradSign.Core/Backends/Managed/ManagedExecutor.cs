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
    private readonly bool[] _saved;        // per slot: read after the forward pass (backward, tangents)
    private readonly bool[] _activation;   // per slot: a conv/linear output (output saliencies read it)
    private readonly bool[] _hessianGrads; // per slot: its gradient is read by a Hessian-vector product's tangent sweep
    private readonly int[] _gradientOwner; // per slot: the slot whose gradient buffer it uses (see ShareSumGradients)
    private readonly int _degree;
    private readonly BufferPool _pool;
    private Workspace<T>? _workspace;
    private T[][][] _perSample = [];
    private double[][][]? _perSampleDoubles;
    private readonly Dictionary<int, ulong[]> _codes = [];
    private readonly HeldPass _held;
    private bool _disposed;

    public ManagedExecutor(NetworkWeights weights, ExecutionOptions options, BufferPool pool)
    {
        _pool = pool;
        _held = new HeldPass(pool);
        Spec = weights.Spec;
        Options = options;
        _degree = options.MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : options.MaxDegreeOfParallelism;
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
            _ops[i] = CreateOp(i, layer, output);
        }

        _slotSizes = [.. sizes];
        _zeroSlots = [.. zero];
        _lastReader = new int[_slotSizes.Length];
        Array.Fill(_lastReader, -1);
        _saved = new bool[_slotSizes.Length];
        _activation = new bool[_slotSizes.Length];
        _hessianGrads = new bool[_slotSizes.Length];
        _saved[LogitsSlot] = true;
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

            foreach (var s in op.SavedSlots)
            {
                _saved[s] = true;
            }

            _activation[op.Output] = op is ConvOp<T> or LinearOp<T>;
            _hessianGrads[op.Output] = op.TangentsReadOutputGradient;
        }

        _gradientOwner = ShareSumGradients();
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

    private LayerOp<T> CreateOp(int index, LayerSpec layer, int output)
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
                return new AddOp<T>(index, output, [.. layer.Inputs.Select(i => _slotOf[i])]);
            case ZeroLayer:
                return new ZeroOp<T>(index, output, In(0));
            case ConcatLayer:
                return new ConcatOp<T>(index, output, [.. layer.Inputs.Select(i => _slotOf[i])], [.. layer.Inputs.Select(i => Size(layers[i].OutputShape))]);
            case TruncateLayer:
                return new TruncateOp<T>(index, output, In(0), Size(InShape(0)), Size(layer.OutputShape));
            default:
                throw new NotSupportedException($"The managed backend cannot run layer '{layer.Name}' of type {layer.GetType().Name}.");
        }
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
            var w = new Workspace<T>(batch.Count, _slotSizes, [.. _zeroSlots], _gradientOwner, _params, _degree, _pool);
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
    /// <paramref name="afterLayer"/> runs after every layer index (its op, if any, has run; its inputs are still held).
    /// </summary>
    private void RunForward(Workspace<T> w, Batch batch, ForwardKeep keep, Action<int>? afterLayer = null)
    {
        if (afterLayer is null && !w.PerSample && _held.HoldsForward(batch, keep))
        {
            return;
        }

        _held.Clear();
        TensorPrimitives.ConvertTruncating<float, T>(batch.Images, w.Values[0]);
        for (var i = 1; i < _ops.Length; i++)
        {
            if (_ops[i] is not { } op)
            {
                afterLayer?.Invoke(i);
                continue;
            }

            op.Forward(w);
            afterLayer?.Invoke(i);
            foreach (var input in op.Inputs)
            {
                if (_lastReader[input] == i && !Keeps(input, keep))
                {
                    w.Values.Release(input);
                }
            }

            if (_lastReader[op.Output] < 0 && !Keeps(op.Output, keep))
            {
                w.Values.Release(op.Output);
            }
        }

        if (!w.PerSample && keep != ForwardKeep.Stream)
        {
            _held.SetForward(batch, keep);
        }
    }

    /// <summary>Tangent forward pass (values held); tangents not needed later are given back after their last reader.</summary>
    private void RunTangentForward(Workspace<T> w)
    {
        for (var i = 1; i < _ops.Length; i++)
        {
            if (_ops[i] is not { } op)
            {
                continue;
            }

            op.TangentForward(w);
            foreach (var input in op.Inputs)
            {
                if (_lastReader[input] == i && !_saved[input])
                {
                    w.Tangents.Release(input);
                }
            }

            if (_lastReader[op.Output] < 0 && !_saved[op.Output])
            {
                w.Tangents.Release(op.Output);
            }
        }
    }

    /// <summary>Whether a forward pass of kind <paramref name="keep"/> keeps <paramref name="slot"/>'s values.</summary>
    private bool Keeps(int slot, ForwardKeep keep) => slot == LogitsSlot || keep switch
    {
        ForwardKeep.Backward => _saved[slot],
        ForwardKeep.Saliencies => _saved[slot] || _activation[slot],
        ForwardKeep.All => true,
        _ => false,
    };

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
    /// Reverse sweep propagating activation gradients (unless <paramref name="gradients"/> is false: they are held
    /// from an earlier pass) and, with <paramref name="tangents"/>, their tangents; <paramref name="afterBackward"/> runs
    /// after each layer (its output gradient is final by then). Afterwards each layer's output gradient is given back
    /// unless <paramref name="retain"/> keeps it (gradient tangents are always given back).
    /// </summary>
    private void Sweep(Workspace<T> w, bool tangents, GradientRetention retain, bool gradients = true, Action<LayerOp<T>>? afterBackward = null)
    {
        for (var i = _ops.Length - 1; i >= 1; i--)
        {
            var op = _ops[i];
            if (op is null || !w.GradWritten[op.Output])
            {
                continue;
            }

            if (tangents)
            {
                op.BackwardTangent(w);
            }

            if (gradients)
            {
                op.Backward(w);
            }

            afterBackward?.Invoke(op);
            if (retain == GradientRetention.None || (retain == GradientRetention.ForHessian && !_hessianGrads[op.Output]))
            {
                w.Grads.Release(op.Output);
            }

            if (tangents)
            {
                w.GradTangents.Release(op.Output);
            }
        }
    }

    private void StartBackward(Workspace<T> w, bool inputGradient)
    {
        _held.ClearGradients();
        w.Grads.ReleaseAll();
        Array.Clear(w.GradWritten);
        Array.Clear(w.GradTangentWritten);
        Array.Fill(w.NeedsGrad, true);
        w.NeedsGrad[0] = inputGradient;
    }

    private static void ToDouble(T[] source, double[] destination) => TensorPrimitives.ConvertTruncating<T, double>(source, destination);
}

/// <summary>Which slot values a forward pass keeps once their last forward reader ran.</summary>
internal enum ForwardKeep
{
    /// <summary>Only the logits (a forward pass with no backward pass after it).</summary>
    Stream,

    /// <summary>What the backward, per-sample and Hessian-vector passes read (every op's saved slots).</summary>
    Backward,

    /// <summary>As <see cref="Backward"/>, plus the conv and linear outputs (output saliencies).</summary>
    Saliencies,

    /// <summary>Every slot (layer outputs read after the pass).</summary>
    All,
}

/// <summary>Which output gradients a backward sweep keeps after their layer ran.</summary>
internal enum GradientRetention
{
    /// <summary>None: each is given back once its layer (and its parameter gradients) ran.</summary>
    None,

    /// <summary>Those a Hessian-vector product on the same batch reads (see <see cref="Ops.LayerOp{T}.TangentsReadOutputGradient"/>).</summary>
    ForHessian,

    /// <summary>All (parameter gradients computed after the sweep read them).</summary>
    All,
}
