using System.Numerics;
using System.Numerics.Tensors;
using GradSign.Backends.Managed.Kernels;

namespace GradSign.Backends.Managed.Ops;

/// <summary>Element-wise sum of its inputs, added left to right.</summary>
/// <remarks>
/// <para>An input read by nothing but this sum has exactly the sum's gradient; the executor lets such inputs share the
/// sum's gradient buffer (<see cref="SharesGradient"/>), and the backward pass only marks them written.</para>
/// <para>Inputs that are <c>none</c> edges (<see cref="ZeroOp{T}"/> outputs, flagged in <c>zeroInputs</c>) are left out
/// of the additions: adding an exact zero returns the other operand, so the sum is the same but for the sign of a zero
/// (which no later layer reads), and the zero tensor is neither read nor, when only sums read it, written. A sum of
/// nothing but zeros is zero.</para>
/// </remarks>
internal sealed class AddOp<T>(int layer, int output, int[] inputs, bool[] zeroInputs)
    : LayerOp<T>(layer, output, inputs)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _summed = [.. inputs.Where((_, k) => !zeroInputs[k])];

    /// <summary>Per input position: whether that input's gradient buffer is this op's output gradient buffer.</summary>
    public bool[] SharesGradient { get; } = new bool[inputs.Length];

    /// <summary>Elements per block: 16 KiB of float32 per operand, so a block of the sum (forward) or of the output's
    /// gradient (backward) stays in L1 while every input is added, and each tensor crosses memory once.</summary>
    private const int Block = 1 << 12;

    /// <inheritdoc />
    public override bool Recomputable => true;

    /// <inheritdoc />
    public override IReadOnlyList<int> ForwardInputs => _summed;

    /// <inheritdoc />
    public override void Forward(Workspace<T> w) => Sum(w, w.Values, w.Values[Output]);

    /// <summary>Writes ReLU(Σ_i x_i) into <paramref name="y"/> (the slot of the ReLU reading this sum) in the same pass as
    /// the sum: the same additions, left to right. With <paramref name="sum"/> (the output slot) each block of the sum is
    /// written there and its ReLU taken while it is in cache; without it the last addition applies the ReLU, and the sum
    /// itself never crosses memory (the executor does this where nothing else reads the sum).</summary>
    public void ForwardRelu(Workspace<T> w, T[] y, T[]? sum)
    {
        var length = y.Length;
        var inputs = _summed.Select(i => w.Values[i]).ToArray();
        var last = inputs.Length - 1;
        Parallelism.For(w.Degree, (length + Block - 1) / Block, (long)Block * (inputs.Length + 1), (s, e) =>
        {
            for (var b = s; b < e; b++)
            {
                var a = b * Block;
                var d = y.AsSpan(a, Math.Min(Block, length - a));
                if (sum is not null)
                {
                    var t = sum.AsSpan(a, d.Length);
                    AddBlock(inputs, inputs.Length, a, t);
                    ReluForward.Run<T>(t, d);
                    continue;
                }

                if (last < 1)
                {
                    // ReLU(x_0), or ReLU(0) = 0 for a sum of nothing but zeros.
                    if (last == 0)
                    {
                        ReluForward.Run<T>(inputs[0].AsSpan(a, d.Length), d);
                    }
                    else
                    {
                        d.Clear();
                    }

                    continue;
                }

                if (last == 1)
                {
                    SumRelu.Run<T>(inputs[0].AsSpan(a, d.Length), inputs[1].AsSpan(a, d.Length), d);
                    continue;
                }

                AddBlock(inputs, last, a, d);
                SumRelu.Run<T>(d, inputs[last].AsSpan(a, d.Length), d);
            }
        });
    }

    /// <inheritdoc />
    public override void Backward(Workspace<T> w) => Scatter(w, w.Grads, w.ClaimGrad);

    /// <inheritdoc />
    public override void TangentForward(Workspace<T> w) => Sum(w, w.Tangents, w.Tangents[Output]);

    /// <inheritdoc />
    public override void BackwardTangent(Workspace<T> w) => Scatter(w, w.GradTangents, w.ClaimGradTangent);

    /// <summary>
    /// dx_i (+)= dy for every input that needs a gradient, block by block. Scalar equivalent, per input in order:
    /// <c>for k: dx_i[k] = (claimed before ? dx_i[k] : 0) + dy[k]</c> (an input listed twice is copied, then added).
    /// </summary>
    private void Scatter(Workspace<T> w, SlotBuffers<T> buffers, Func<int, bool> claim)
    {
        var targets = Inputs.Where((i, k) => w.NeedsGrad[i] && !SharesGradient[k]).ToArray();
        foreach (var (i, k) in Inputs.Select((i, k) => (i, k)))
        {
            if (SharesGradient[k])
            {
                claim(i); // the sole writer: the shared buffer already holds dy
            }
        }

        if (targets.Length == 0)
        {
            return;
        }

        var accumulate = targets.Select(claim).ToArray();
        var dy = buffers[Output];
        var dx = targets.Select(t => buffers[t]).ToArray();
        var length = dy.Length;
        Parallelism.For(w.Degree, (length + Block - 1) / Block, (long)Block * (targets.Length + 1), (s, e) =>
        {
            for (var b = s; b < e; b++)
            {
                var a = b * Block;
                var source = dy.AsSpan(a, Math.Min(Block, length - a));
                for (var t = 0; t < targets.Length; t++)
                {
                    var d = dx[t].AsSpan(a, source.Length);
                    if (accumulate[t])
                    {
                        TensorPrimitives.Add(d, source, d);
                    }
                    else
                    {
                        source.CopyTo(d);
                    }
                }
            }
        });
    }

    /// <summary>y = Σ_i x_i over the inputs that are not zero, block by block (left to right, as the scalar
    /// <c>((x_0 + x_1) + x_2) + …</c>).</summary>
    private void Sum(Workspace<T> w, SlotBuffers<T> buffers, T[] y)
    {
        var length = y.Length;
        var inputs = _summed.Select(i => buffers[i]).ToArray();
        Parallelism.For(w.Degree, (length + Block - 1) / Block, (long)Block * (inputs.Length + 1), (s, e) =>
        {
            for (var b = s; b < e; b++)
            {
                var a = b * Block;
                AddBlock(inputs, inputs.Length, a, y.AsSpan(a, Math.Min(Block, length - a)));
            }
        });
    }

    /// <summary><c>d = ((x_0 + x_1) + …) + x_{count−1}</c> over the block of <paramref name="inputs"/> starting at
    /// <paramref name="offset"/>: a copy of x_0 when count is 1, zeros when it is 0.</summary>
    private static void AddBlock(T[][] inputs, int count, int offset, Span<T> d)
    {
        if (count < 2)
        {
            if (count == 0)
            {
                d.Clear();
            }
            else
            {
                inputs[0].AsSpan(offset, d.Length).CopyTo(d);
            }

            return;
        }

        TensorPrimitives.Add(inputs[0].AsSpan(offset, d.Length), inputs[1].AsSpan(offset, d.Length), d);
        for (var k = 2; k < count; k++)
        {
            TensorPrimitives.Add(d, inputs[k].AsSpan(offset, d.Length), d);
        }
    }
}
