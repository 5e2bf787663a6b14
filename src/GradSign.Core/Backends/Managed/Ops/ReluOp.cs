using System.Numerics;
using GradSign.Backends.Managed.Kernels;

namespace GradSign.Backends.Managed.Ops;

/// <summary>ReLU (derivative 0 at 0; second derivative 0). The Jacobian mask is read from the output (y &gt; 0 exactly
/// where x &gt; 0, NaN included: both compare false), so the input need not be kept for the backward pass.</summary>
internal sealed class ReluOp<T>(int layer, int output, int input, int size)
    : LayerOp<T>(layer, output, [input])
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Elements per chunk handed to one thread.</summary>
    private const int Chunk = 1 << 14;

    /// <summary>Units per sample (C·H·W).</summary>
    public int Size { get; } = size;

    /// <inheritdoc />
    public override IEnumerable<int> SavedSlots => [Output];

    /// <inheritdoc />
    public override bool Recomputable => true;

    /// <inheritdoc />
    public override void Forward(Workspace<T> w)
    {
        var x = w.Values[Inputs[0]];
        var y = w.Values[Output];
        Chunks(w, x.Length, (s, e) => ReluForward.Run<T>(x.AsSpan(s, e - s), y.AsSpan(s, e - s)));
    }

    /// <inheritdoc />
    public override void Backward(Workspace<T> w)
    {
        if (w.NeedsGrad[Inputs[0]])
        {
            Mask(w, w.Grads[Output], w.Grads[Inputs[0]], w.ClaimGrad(Inputs[0]));
        }
    }

    /// <inheritdoc />
    public override void TangentForward(Workspace<T> w) => Mask(w, w.Tangents[Inputs[0]], w.Tangents[Output], false);

    /// <inheritdoc />
    public override void BackwardTangent(Workspace<T> w)
    {
        if (w.NeedsGrad[Inputs[0]])
        {
            Mask(w, w.GradTangents[Output], w.GradTangents[Inputs[0]], w.ClaimGradTangent(Inputs[0]));
        }
    }

    private void Mask(Workspace<T> w, T[] g, T[] destination, bool accumulate)
    {
        var x = w.Values[Output];
        Chunks(w, x.Length, (s, e) => ReluMask.Run<T>(x.AsSpan(s, e - s), g.AsSpan(s, e - s), destination.AsSpan(s, e - s), accumulate));
    }

    private static void Chunks(Workspace<T> w, int length, Action<int, int> body)
    {
        var chunks = (length + Chunk - 1) / Chunk;
        Parallelism.For(w.Degree, chunks, Chunk, (s, e) => body(s * Chunk, Math.Min(e * Chunk, length)));
    }
}
