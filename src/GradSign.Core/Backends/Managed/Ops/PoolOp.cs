using System.Numerics;
using GradSign.Backends.Managed.Kernels;

namespace GradSign.Backends.Managed.Ops;

/// <summary>Average or max pooling. Both are linear once max pooling's routing is fixed by the forward pass.</summary>
internal sealed class PoolOp<T>(int layer, int output, int input, int channels, PoolGeometry geometry, bool max)
    : LayerOp<T>(layer, output, [input])
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly PoolGeometry _g = geometry;
    private int[] _argMax = [];

    /// <inheritdoc />
    public override void Prepare(int batch, BufferPool pool) => _argMax = max ? pool.Rent<int>(batch * channels * _g.OutputPlane) : [];

    /// <inheritdoc />
    public override void Release(BufferPool pool)
    {
        pool.Return(_argMax);
        _argMax = [];
    }

    /// <inheritdoc />
    public override bool Recomputable => true;

    /// <inheritdoc />
    public override void Forward(Workspace<T> w)
    {
        var x = w.Values[Inputs[0]];
        var y = w.Values[Output];
        var g = _g;
        var a = _argMax;
        if (max)
        {
            Planes(w, (s, e) => MaxPool2dForward.Run<T>(g, x, y, a, s, e - s));
        }
        else
        {
            Planes(w, (s, e) => AvgPool2dForward.Run<T>(g, x, y, s, e - s));
        }
    }

    /// <inheritdoc />
    public override void Backward(Workspace<T> w)
    {
        if (w.NeedsGrad[Inputs[0]])
        {
            Spread(w, w.Grads[Output], w.Grads[Inputs[0]], w.ClaimGrad(Inputs[0]));
        }
    }

    /// <inheritdoc />
    public override void TangentForward(Workspace<T> w)
    {
        var xd = w.Tangents[Inputs[0]];
        var yd = w.Tangents[Output];
        var g = _g;
        var a = _argMax;
        if (max)
        {
            Planes(w, (s, e) => MaxPool2dGather.Run<T>(g, xd, a, yd, s, e - s));
        }
        else
        {
            Planes(w, (s, e) => AvgPool2dForward.Run<T>(g, xd, yd, s, e - s));
        }
    }

    /// <inheritdoc />
    public override void BackwardTangent(Workspace<T> w)
    {
        if (w.NeedsGrad[Inputs[0]])
        {
            Spread(w, w.GradTangents[Output], w.GradTangents[Inputs[0]], w.ClaimGradTangent(Inputs[0]));
        }
    }

    private void Spread(Workspace<T> w, T[] dy, T[] dx, bool accumulate)
    {
        var g = _g;
        var a = _argMax;
        if (max)
        {
            Planes(w, (s, e) => MaxPool2dBackward.Run<T>(g, dy, a, dx, accumulate, s, e - s));
        }
        else
        {
            Planes(w, (s, e) => AvgPool2dBackward.Run<T>(g, dy, dx, accumulate, s, e - s));
        }
    }

    private void Planes(Workspace<T> w, Action<int, int> body)
        => Parallelism.For(w.Degree, w.Batch * channels, (long)_g.OutputPlane * _g.Kernel * _g.Kernel, body);
}
