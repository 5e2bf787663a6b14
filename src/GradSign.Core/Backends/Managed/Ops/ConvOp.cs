using System.Numerics;
using GradSign.Backends.Managed.Kernels;

namespace GradSign.Backends.Managed.Ops;

/// <summary>Conv2d. Bilinear in (input, weight), so its tangents reuse the same three kernels.</summary>
internal sealed class ConvOp<T>(int layer, int output, int input, ConvGeometry geometry, int weight, int? bias)
    : LayerOp<T>(layer, output, [input])
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ConvGeometry _g = geometry;

    /// <summary>Index of the weight parameter.</summary>
    public int Weight { get; } = weight;

    /// <summary>Output channels.</summary>
    public int Channels => _g.OutChannels;

    /// <summary>Elements of one output plane.</summary>
    public int Spatial => _g.OutHeight * _g.OutWidth;

    /// <inheritdoc />
    public override IEnumerable<int> Parameters => bias is { } b ? [Weight, b] : [Weight];

    /// <inheritdoc />
    public override IEnumerable<int> SavedSlots => [Inputs[0]];

    /// <inheritdoc />
    /// <remarks>Summed in the order of the convolution that computed the reference values where that is reproduced
    /// (<see cref="ReferenceRounding"/>); a per-sample pass (GradSign) is a run of single-sample calls there.</remarks>
    public override void Forward(Workspace<T> w)
        => Conv2dForward.Run(_g, w.Batch, w.Values[Inputs[0]], w.Params[Weight], Bias(w.Params), w.Values[Output], maxDegreeOfParallelism: w.Degree,
            summation: ReferenceRounding.Convolution<T>(_g, w.PerSample ? 1 : w.Batch), scratch: w.Scratch);

    /// <inheritdoc />
    public override void Backward(Workspace<T> w)
    {
        var x = Inputs[0];
        if (w.NeedsGrad[x])
        {
            var acc = w.ClaimGrad(x);
            Conv2dBackwardData.Run(_g, w.Batch, w.Grads[Output], w.Params[Weight], w.Grads[x], acc, maxDegreeOfParallelism: w.Degree, scratch: w.Scratch);
        }
    }

    /// <inheritdoc />
    public override void ParameterGradients(Workspace<T> w, int sample, T[][] destination, int degree)
    {
        var first = sample < 0 ? 0 : sample;
        var count = sample < 0 ? w.Batch : 1;
        var dy = w.Grads[Output];
        if (w.ParamNeeded[Weight])
        {
            var x = w.Values[Inputs[0]].AsSpan(first * _g.InputSize, count * _g.InputSize);
            Conv2dBackwardWeight.Run(_g, count, x, dy.AsSpan(first * _g.OutputSize, count * _g.OutputSize), destination[Weight], maxDegreeOfParallelism: degree, scratch: w.Scratch);
        }

        if (bias is { } b && w.ParamNeeded[b])
        {
            ChannelSums.Run<T>(dy, first, count, Channels, Spatial, destination[b]);
        }
    }

    /// <inheritdoc />
    public override long ParameterGradientCost => (long)_g.WeightSize * Spatial;

    /// <inheritdoc />
    public override void TangentForward(Workspace<T> w)
    {
        // ẏ = conv(ẋ, W) + conv(x, Ẇ) + ḃ
        var x = Inputs[0];
        var yd = w.Tangents[Output];
        var bd = Bias(w.ParamTangents);
        // Tangents decide no ReLU mask (those come from the values), so their convolutions may take Winograd's rounding;
        // the value forward pass stays direct (see Conv2dForward).
        var algorithm = ConvAlgorithm.Winograd;
        if (w.TangentZero[x])
        {
            Conv2dForward.Run(_g, w.Batch, w.Values[x], w.ParamTangents[Weight], bd, yd, maxDegreeOfParallelism: w.Degree, algorithm: algorithm, scratch: w.Scratch);
            return;
        }

        Conv2dForward.Run(_g, w.Batch, w.Tangents[x], w.Params[Weight], bd, yd, maxDegreeOfParallelism: w.Degree, algorithm: algorithm, scratch: w.Scratch);
        Conv2dForward.Run(_g, w.Batch, w.Values[x], w.ParamTangents[Weight], ReadOnlySpan<T>.Empty, yd, accumulate: true, maxDegreeOfParallelism: w.Degree, algorithm: algorithm, scratch: w.Scratch);
    }

    /// <inheritdoc />
    public override void BackwardTangent(Workspace<T> w)
    {
        // ḋx = convᵀ(ḋy, W) + convᵀ(dy, Ẇ)
        var x = Inputs[0];
        if (w.NeedsGrad[x])
        {
            var acc = w.ClaimGradTangent(x);
            Conv2dBackwardData.Run(_g, w.Batch, w.GradTangents[Output], w.Params[Weight], w.GradTangents[x], acc, maxDegreeOfParallelism: w.Degree, scratch: w.Scratch);
            Conv2dBackwardData.Run(_g, w.Batch, w.Grads[Output], w.ParamTangents[Weight], w.GradTangents[x], accumulate: true, maxDegreeOfParallelism: w.Degree, scratch: w.Scratch);
        }
    }

    /// <inheritdoc />
    public override void ParameterGradientTangents(Workspace<T> w)
    {
        // dẆ = Σ ḋy ⊗ x + dy ⊗ ẋ
        var x = Inputs[0];
        Conv2dBackwardWeight.Run(_g, w.Batch, w.Values[x], w.GradTangents[Output], w.ParamGradTangents[Weight], maxDegreeOfParallelism: w.Degree, scratch: w.Scratch);
        if (!w.TangentZero[x])
        {
            Conv2dBackwardWeight.Run(_g, w.Batch, w.Tangents[x], w.Grads[Output], w.ParamGradTangents[Weight], accumulate: true, maxDegreeOfParallelism: w.Degree, scratch: w.Scratch);
        }

        if (bias is { } b)
        {
            ChannelSums.Run<T>(w.GradTangents[Output], 0, w.Batch, Channels, Spatial, w.ParamGradTangents[b]);
        }
    }

    private ReadOnlySpan<T> Bias(T[][] parameters) => bias is { } b ? parameters[b] : ReadOnlySpan<T>.Empty;
}
