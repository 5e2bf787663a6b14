using System.Numerics;
using System.Numerics.Tensors;

namespace GradSign.Backends.Managed.Ops;

/// <summary>Keeps the first channels of each sample (NAS-Bench-101 <c>Truncate</c>).</summary>
internal sealed class TruncateOp<T>(int layer, int output, int input, int inputSize, int outputSize)
    : LayerOp<T>(layer, output, [input])
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override bool Recomputable => true;

    /// <inheritdoc />
    public override void Forward(Workspace<T> w) => Slice(w.Batch, w.Values[Inputs[0]], w.Values[Output]);

    /// <inheritdoc />
    public override void Backward(Workspace<T> w)
    {
        if (w.NeedsGrad[Inputs[0]])
        {
            Pad(w.Batch, w.Grads[Output], w.Grads[Inputs[0]], w.ClaimGrad(Inputs[0]));
        }
    }

    /// <inheritdoc />
    public override void TangentForward(Workspace<T> w) => Slice(w.Batch, w.Tangents[Inputs[0]], w.Tangents[Output]);

    /// <inheritdoc />
    public override void BackwardTangent(Workspace<T> w)
    {
        if (w.NeedsGrad[Inputs[0]])
        {
            Pad(w.Batch, w.GradTangents[Output], w.GradTangents[Inputs[0]], w.ClaimGradTangent(Inputs[0]));
        }
    }

    private void Slice(int batch, T[] x, T[] y)
    {
        for (var n = 0; n < batch; n++)
        {
            x.AsSpan(n * inputSize, outputSize).CopyTo(y.AsSpan(n * outputSize, outputSize));
        }
    }

    private void Pad(int batch, T[] dy, T[] dx, bool accumulate)
    {
        for (var n = 0; n < batch; n++)
        {
            var src = dy.AsSpan(n * outputSize, outputSize);
            var dst = dx.AsSpan(n * inputSize, inputSize);
            if (accumulate)
            {
                TensorPrimitives.Add(dst[..outputSize], src, dst[..outputSize]);
            }
            else
            {
                src.CopyTo(dst);
                dst[outputSize..].Clear();
            }
        }
    }
}
