using System.Numerics;
using System.Numerics.Tensors;

namespace GradSign.Backends.Managed.Ops;

/// <summary>Element-wise sum of its inputs, added left to right.</summary>
internal sealed class AddOp<T>(int layer, int output, int[] inputs)
    : LayerOp<T>(layer, output, inputs)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override void Forward(Workspace<T> w) => Sum(w, w.Values, w.Values[Output]);

    /// <inheritdoc />
    public override void Backward(Workspace<T> w)
    {
        foreach (var i in Inputs)
        {
            if (w.NeedsGrad[i])
            {
                CopyOrAdd(w, w.Grads[Output], w.Grads[i], w.ClaimGrad(i));
            }
        }
    }

    /// <inheritdoc />
    public override void TangentForward(Workspace<T> w) => Sum(w, w.Tangents, w.Tangents[Output]);

    /// <inheritdoc />
    public override void BackwardTangent(Workspace<T> w)
    {
        foreach (var i in Inputs)
        {
            if (w.NeedsGrad[i])
            {
                CopyOrAdd(w, w.GradTangents[Output], w.GradTangents[i], w.ClaimGradTangent(i));
            }
        }
    }

    /// <summary>destination = source, or destination += source.</summary>
    internal static void CopyOrAdd(Workspace<T> w, T[] source, T[] destination, bool accumulate)
    {
        const int chunk = 1 << 14;
        var length = source.Length;
        Parallelism.For(w.Degree, (length + chunk - 1) / chunk, chunk, (s, e) =>
        {
            var a = s * chunk;
            var b = Math.Min(e * chunk, length);
            if (accumulate)
            {
                TensorPrimitives.Add(destination.AsSpan(a, b - a), source.AsSpan(a, b - a), destination.AsSpan(a, b - a));
            }
            else
            {
                source.AsSpan(a, b - a).CopyTo(destination.AsSpan(a, b - a));
            }
        });
    }

    private void Sum(Workspace<T> w, T[][] buffers, T[] y)
    {
        const int chunk = 1 << 14;
        var length = y.Length;
        var inputs = Inputs;
        Parallelism.For(w.Degree, (length + chunk - 1) / chunk, chunk * inputs.Length, (s, e) =>
        {
            var a = s * chunk;
            var d = y.AsSpan(a, Math.Min(e * chunk, length) - a);
            TensorPrimitives.Add(buffers[inputs[0]].AsSpan(a, d.Length), buffers[inputs[1]].AsSpan(a, d.Length), d);
            for (var k = 2; k < inputs.Length; k++)
            {
                TensorPrimitives.Add(d, buffers[inputs[k]].AsSpan(a, d.Length), d);
            }
        });
    }
}
