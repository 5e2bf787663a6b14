using System.Numerics;
using System.Numerics.Tensors;
using GradSign.Backends.Managed.Kernels;

namespace GradSign.Backends.Managed.Ops;

/// <summary>Linear layer y = x·Wᵀ + b on [N, in] inputs. Bilinear, like <see cref="ConvOp{T}"/>.</summary>
internal sealed class LinearOp<T>(int layer, int output, int input, int inFeatures, int outFeatures, int weight, int? bias)
    : LayerOp<T>(layer, output, [input])
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Index of the weight parameter.</summary>
    public int Weight { get; } = weight;

    /// <summary>Output features.</summary>
    public int Channels => outFeatures;

    /// <inheritdoc />
    public override IEnumerable<int> Parameters => bias is { } b ? [Weight, b] : [Weight];

    /// <inheritdoc />
    public override IEnumerable<int> SavedSlots => [Inputs[0]];

    /// <inheritdoc />
    public override void Forward(Workspace<T> w)
        => Affine(w.Scratch, w.Batch, w.Values[Inputs[0]], w.Params[Weight], bias is { } b ? w.Params[b] : null, w.Values[Output], false);

    /// <inheritdoc />
    public override void Backward(Workspace<T> w)
    {
        var x = Inputs[0];
        if (w.NeedsGrad[x])
        {
            // dx = dy·W
            Gemm.Multiply(false, false, w.Batch, inFeatures, outFeatures, w.Grads[Output], outFeatures, w.Params[Weight], inFeatures, w.Grads[x], inFeatures, w.ClaimGrad(x), scratch: w.Scratch);
        }
    }

    /// <inheritdoc />
    public override void ParameterGradients(Workspace<T> w, int sample, T[][] destination, int degree)
    {
        var first = sample < 0 ? 0 : sample;
        var count = sample < 0 ? w.Batch : 1;
        var dy = w.Grads[Output].AsSpan(first * outFeatures, count * outFeatures);
        var x = w.Values[Inputs[0]].AsSpan(first * inFeatures, count * inFeatures);

        // dW = dyᵀ·x
        if (w.ParamNeeded[Weight])
        {
            Gemm.Multiply(true, false, outFeatures, inFeatures, count, dy, outFeatures, x, inFeatures, destination[Weight], inFeatures, false, degree, scratch: w.Scratch);
        }

        if (bias is { } b && w.ParamNeeded[b])
        {
            RowSums(dy, count, destination[b], false);
        }
    }

    /// <inheritdoc />
    public override long ParameterGradientCost => (long)inFeatures * outFeatures;

    /// <inheritdoc />
    public override void TangentForward(Workspace<T> w)
    {
        // ẏ = ẋ·Wᵀ + x·Ẇᵀ + ḃ
        var x = Inputs[0];
        var bd = bias is { } b ? w.ParamTangents[b] : null;
        if (w.TangentZero[x])
        {
            Affine(w.Scratch, w.Batch, w.Values[x], w.ParamTangents[Weight], bd, w.Tangents[Output], false);
            return;
        }

        Affine(w.Scratch, w.Batch, w.Tangents[x], w.Params[Weight], bd, w.Tangents[Output], false);
        Affine(w.Scratch, w.Batch, w.Values[x], w.ParamTangents[Weight], null, w.Tangents[Output], true);
    }

    /// <inheritdoc />
    public override void BackwardTangent(Workspace<T> w)
    {
        var x = Inputs[0];
        if (w.NeedsGrad[x])
        {
            // ḋx = ḋy·W + dy·Ẇ
            var acc = w.ClaimGradTangent(x);
            Gemm.Multiply(false, false, w.Batch, inFeatures, outFeatures, w.GradTangents[Output], outFeatures, w.Params[Weight], inFeatures, w.GradTangents[x], inFeatures, acc, scratch: w.Scratch);
            Gemm.Multiply(false, false, w.Batch, inFeatures, outFeatures, w.Grads[Output], outFeatures, w.ParamTangents[Weight], inFeatures, w.GradTangents[x], inFeatures, true, scratch: w.Scratch);
        }
    }

    /// <inheritdoc />
    public override void ParameterGradientTangents(Workspace<T> w)
    {
        // dẆ = ḋyᵀ·x + dyᵀ·ẋ
        var x = Inputs[0];
        Gemm.Multiply(true, false, outFeatures, inFeatures, w.Batch, w.GradTangents[Output], outFeatures, w.Values[x], inFeatures, w.ParamGradTangents[Weight], inFeatures, false, scratch: w.Scratch);
        if (!w.TangentZero[x])
        {
            Gemm.Multiply(true, false, outFeatures, inFeatures, w.Batch, w.Grads[Output], outFeatures, w.Tangents[x], inFeatures, w.ParamGradTangents[Weight], inFeatures, true, scratch: w.Scratch);
        }

        if (bias is { } b)
        {
            RowSums(w.GradTangents[Output], w.Batch, w.ParamGradTangents[b], false);
        }
    }

    private void Affine(KernelScratch scratch, int batch, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, T[]? b, Span<T> y, bool accumulate)
    {
        Gemm.Multiply(false, true, batch, outFeatures, inFeatures, x, inFeatures, weight, inFeatures, y, outFeatures, accumulate, scratch: scratch);
        if (b is not null)
        {
            for (var n = 0; n < batch; n++)
            {
                var row = y.Slice(n * outFeatures, outFeatures);
                TensorPrimitives.Add(row, b, row);
            }
        }
    }

    private void RowSums(ReadOnlySpan<T> dy, int rows, Span<T> destination, bool accumulate)
    {
        for (var k = 0; k < outFeatures; k++)
        {
            var sum = 0.0;
            for (var n = 0; n < rows; n++)
            {
                sum += double.CreateTruncating(dy[(n * outFeatures) + k]);
            }

            destination[k] = accumulate ? destination[k] + T.CreateTruncating(sum) : T.CreateTruncating(sum);
        }
    }
}
