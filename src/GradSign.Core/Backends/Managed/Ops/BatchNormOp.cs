using System.Numerics;
using GradSign.Backends.Managed.Kernels;

namespace GradSign.Backends.Managed.Ops;

/// <summary>
/// Training-mode BatchNorm2d with batch statistics, or per-sample statistics while
/// <see cref="Workspace{T}.PerSample"/> is set. Without affine parameters the output slot holds x̂ itself.
/// </summary>
internal sealed class BatchNormOp<T>(int layer, int output, int input, int channels, int spatial, int? gamma, int? beta, double epsilon)
    : LayerOp<T>(layer, output, [input])
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _xhat = [];
    private T[] _xhatDot = [];
    private double[] _invStd = [];
    private double[] _invStdDot = [];
    private double[] _runSumDy = [];
    private double[] _runSumDyXhat = [];
    private double[] _groupGammaDot = [];
    private double[] _groupBetaDot = [];

    private bool Affine => gamma is not null;

    /// <inheritdoc />
    public override IEnumerable<int> Parameters => gamma is { } g && beta is { } b ? [g, b] : [];

    /// <inheritdoc />
    public override IEnumerable<int> SavedSlots => Affine ? [] : [Output]; // without affine parameters the output is x̂

    /// <inheritdoc />
    public override void Prepare(int batch, BufferPool pool)
    {
        _xhat = Affine ? pool.Rent<T>(batch * channels * spatial) : [];
        _invStd = pool.RentZeroed<double>(batch * channels);
        _runSumDy = pool.RentZeroed<double>(batch * channels);
        _runSumDyXhat = pool.RentZeroed<double>(batch * channels);
        _xhatDot = [];
        _invStdDot = [];
    }

    /// <inheritdoc />
    public override void PrepareTangents(int batch, BufferPool pool)
    {
        if (_invStdDot.Length == 0 || (Affine && _xhatDot.Length == 0))
        {
            _xhatDot = Affine ? pool.Rent<T>(batch * channels * spatial) : [];
            // Tangent passes use batch statistics: one group per channel (the per-sample groups of the other state are
            // never needed here).
            _invStdDot = pool.RentZeroed<double>(channels);
            _groupGammaDot = pool.RentZeroed<double>(channels);
            _groupBetaDot = pool.RentZeroed<double>(channels);
        }
    }

    /// <inheritdoc />
    public override void Release(BufferPool pool)
    {
        pool.Return(_xhat);
        pool.Return(_xhatDot);
        pool.Return(_invStd);
        pool.Return(_runSumDy);
        pool.Return(_runSumDyXhat);
        pool.Return(_invStdDot);
        pool.Return(_groupGammaDot);
        pool.Return(_groupBetaDot);
        _xhat = [];
        _xhatDot = [];
        _invStd = [];
        _runSumDy = [];
        _runSumDyXhat = [];
        _invStdDot = [];
        _groupGammaDot = [];
        _groupBetaDot = [];
    }

    /// <inheritdoc />
    public override bool Recomputable => true;

    /// <inheritdoc />
    public override void Forward(Workspace<T> w) => ForwardRelu(w, null);

    /// <summary>The forward pass; with <paramref name="relu"/> (the slot of the ReLU reading this output) it also writes
    /// ReLU(output) there, plane by plane while the plane is in cache (the executor then skips the ReLU).</summary>
    public void ForwardRelu(Workspace<T> w, T[]? relu)
    {
        var layout = Layout(w);
        var x = w.Values[Inputs[0]];
        var y = w.Values[Output];
        var xhat = XHat(w);
        var g = gamma is { } gi ? w.Params[gi] : [];
        var b = beta is { } bi ? w.Params[bi] : [];
        var invStd = _invStd;
        var referenceRounding = ReferenceRounding.BatchNorm<T>(w.PerSample);
        Parallelism.For(w.Degree, layout.Groups, layout.Count * 4L, (s, e) =>
            BatchNormForward.Run<T>(layout, x, xhat, y, g, b, invStd, epsilon, s, e - s, referenceRounding, relu));
    }

    /// <inheritdoc />
    public override void Backward(Workspace<T> w)
    {
        var layout = Layout(w);
        var dy = w.Grads[Output];
        var xhat = XHat(w);
        var g = gamma is { } gi ? w.Params[gi] : [];
        var x = Inputs[0];
        var acc = w.NeedsGrad[x] && w.ClaimGrad(x);
        var dx = w.NeedsGrad[x] ? w.Grads[x] : [];
        var (invStd, s1, s2) = (_invStd, _runSumDy, _runSumDyXhat);
        Parallelism.For(w.Degree, layout.Groups, layout.Count * 4L, (s, e) =>
            BatchNormBackward.Run<T>(layout, dy, xhat, invStd, g, s1, s2, dx, acc, s, e - s));
    }

    /// <inheritdoc />
    public override void ParameterGradients(Workspace<T> w, int sample, T[][] destination, int degree)
    {
        if (gamma is not { } gi || beta is not { } bi || !(w.ParamNeeded[gi] || w.ParamNeeded[bi]))
        {
            return;
        }

        var dg = destination[gi];
        var db = destination[bi];
        for (var c = 0; c < channels; c++)
        {
            double sg = 0, sb = 0;
            if (sample < 0)
            {
                for (var n = 0; n < w.Batch; n++)
                {
                    sg += _runSumDyXhat[(n * channels) + c];
                    sb += _runSumDy[(n * channels) + c];
                }
            }
            else
            {
                sg = _runSumDyXhat[(sample * channels) + c];
                sb = _runSumDy[(sample * channels) + c];
            }

            dg[c] = T.CreateTruncating(sg);
            db[c] = T.CreateTruncating(sb);
        }
    }

    /// <inheritdoc />
    public override void TangentForward(Workspace<T> w)
    {
        var layout = Layout(w);
        var xd = w.Tangents[Inputs[0]];
        var xhat = XHat(w);
        var xhatDot = XHatDot(w);
        var yd = w.Tangents[Output];
        var g = gamma is { } gi ? w.Params[gi] : [];
        var gd = gamma is { } gi2 ? w.ParamTangents[gi2] : [];
        var bd = beta is { } bi ? w.ParamTangents[bi] : [];
        var (invStd, invStdDot) = (_invStd, _invStdDot);
        Parallelism.For(w.Degree, layout.Groups, layout.Count * 5L, (s, e) =>
            BatchNormTangent.Run<T>(layout, xd, xhat, invStd, g, gd, bd, xhatDot, yd, invStdDot, s, e - s));
    }

    /// <inheritdoc />
    public override void BackwardTangent(Workspace<T> w)
    {
        var layout = Layout(w);
        var dy = w.Grads[Output];
        var dyd = w.GradTangents[Output];
        var xhat = XHat(w);
        var xhatDot = XHatDot(w);
        var g = gamma is { } gi ? w.Params[gi] : [];
        var gd = gamma is { } gi2 ? w.ParamTangents[gi2] : [];
        var x = Inputs[0];
        var acc = w.NeedsGrad[x] && w.ClaimGradTangent(x);
        var dxd = w.NeedsGrad[x] ? w.GradTangents[x] : [];
        var (invStd, invStdDot, sg, sb) = (_invStd, _invStdDot, _groupGammaDot, _groupBetaDot);
        Parallelism.For(w.Degree, layout.Groups, layout.Count * 8L, (s, e) =>
            BatchNormBackwardTangent.Run<T>(layout, dy, dyd, xhat, xhatDot, invStd, invStdDot, g, gd, sg, sb, dxd, acc, s, e - s));
    }

    /// <inheritdoc />
    public override void ParameterGradientTangents(Workspace<T> w)
    {
        if (gamma is not { } gi || beta is not { } bi)
        {
            return;
        }

        // Tangent passes use batch statistics: one group per channel.
        for (var c = 0; c < channels; c++)
        {
            w.ParamGradTangents[gi][c] = T.CreateTruncating(_groupGammaDot[c]);
            w.ParamGradTangents[bi][c] = T.CreateTruncating(_groupBetaDot[c]);
        }
    }

    private BatchNormLayout Layout(Workspace<T> w) => new(w.Batch, channels, spatial, w.PerSample);

    private T[] XHat(Workspace<T> w) => Affine ? _xhat : w.Values[Output];

    private T[] XHatDot(Workspace<T> w) => Affine ? _xhatDot : w.Tangents[Output];
}
