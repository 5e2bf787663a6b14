using System.Numerics;
using System.Numerics.Tensors;

namespace GradSign.Backends.Managed.Ops;

/// <summary>Concatenation along channels: per sample, the inputs' blocks one after another.</summary>
internal sealed class ConcatOp<T>(int layer, int output, int[] inputs, int[] inputSizes)
    : LayerOp<T>(layer, output, inputs)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _outSize = inputSizes.Sum();

    /// <inheritdoc />
    public override bool Recomputable => true;

    /// <inheritdoc />
    public override void Forward(Workspace<T> w) => Gather(w.Batch, w.Values, w.Values[Output]);

    /// <inheritdoc />
    public override void Backward(Workspace<T> w) => Scatter(w, w.Grads[Output], w.Grads, w.ClaimGrad);

    /// <inheritdoc />
    public override void TangentForward(Workspace<T> w) => Gather(w.Batch, w.Tangents, w.Tangents[Output]);

    /// <inheritdoc />
    public override void BackwardTangent(Workspace<T> w) => Scatter(w, w.GradTangents[Output], w.GradTangents, w.ClaimGradTangent);

    private void Gather(int batch, SlotBuffers<T> buffers, T[] y)
    {
        for (var n = 0; n < batch; n++)
        {
            var at = n * _outSize;
            for (var i = 0; i < Inputs.Length; i++)
            {
                var size = inputSizes[i];
                buffers[Inputs[i]].AsSpan(n * size, size).CopyTo(y.AsSpan(at, size));
                at += size;
            }
        }
    }

    private void Scatter(Workspace<T> w, T[] dy, SlotBuffers<T> buffers, Func<int, bool> claim)
    {
        for (var i = 0; i < Inputs.Length; i++)
        {
            if (!w.NeedsGrad[Inputs[i]])
            {
                continue;
            }

            var accumulate = claim(Inputs[i]);
            var size = inputSizes[i];
            var offset = inputSizes.AsSpan(0, i).ToArray().Sum();
            var dx = buffers[Inputs[i]];
            for (var n = 0; n < w.Batch; n++)
            {
                var src = dy.AsSpan((n * _outSize) + offset, size);
                var dst = dx.AsSpan(n * size, size);
                if (accumulate)
                {
                    TensorPrimitives.Add(dst, src, dst);
                }
                else
                {
                    src.CopyTo(dst);
                }
            }
        }
    }
}
