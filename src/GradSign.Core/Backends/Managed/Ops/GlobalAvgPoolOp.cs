using System.Numerics;
using GradSign.Backends.Managed.Kernels;

namespace GradSign.Backends.Managed.Ops;

/// <summary>Global average pooling [C, H, W] → [C].</summary>
internal sealed class GlobalAvgPoolOp<T>(int layer, int output, int input, int channels, int spatial)
    : LayerOp<T>(layer, output, [input])
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override bool Recomputable => true;

    /// <inheritdoc />
    public override void Forward(Workspace<T> w)
        => GlobalAvgPoolForward.Run<T>(w.Values[Inputs[0]], w.Values[Output], w.Batch * channels, spatial);

    /// <inheritdoc />
    public override void Backward(Workspace<T> w)
    {
        if (w.NeedsGrad[Inputs[0]])
        {
            GlobalAvgPoolBackward.Run<T>(w.Grads[Output], w.Grads[Inputs[0]], w.Batch * channels, spatial, w.ClaimGrad(Inputs[0]));
        }
    }

    /// <inheritdoc />
    public override void TangentForward(Workspace<T> w)
        => GlobalAvgPoolForward.Run<T>(w.Tangents[Inputs[0]], w.Tangents[Output], w.Batch * channels, spatial);

    /// <inheritdoc />
    public override void BackwardTangent(Workspace<T> w)
    {
        if (w.NeedsGrad[Inputs[0]])
        {
            GlobalAvgPoolBackward.Run<T>(w.GradTangents[Output], w.GradTangents[Inputs[0]], w.Batch * channels, spatial, w.ClaimGradTangent(Inputs[0]));
        }
    }
}
