using System.Numerics;

namespace GradSign.Backends.Managed.Ops;

/// <summary>
/// NAS-Bench-201's <c>none</c> (<c>x.mul(0.)</c>): outputs zeros. Its input gets an exactly-zero gradient from it,
/// which is the same as no contribution, so nothing is propagated.
/// </summary>
/// <param name="layer">Index in <c>NetworkSpec.Layers</c>.</param>
/// <param name="output">Output slot.</param>
/// <param name="input">Input slot (not read).</param>
/// <param name="written">Whether the zeros are written: not when only sums read the output, as they leave zero inputs
/// out (<see cref="AddOp{T}"/>), so the slot's buffer is never read.</param>
internal sealed class ZeroOp<T>(int layer, int output, int input, bool written)
    : LayerOp<T>(layer, output, [input])
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override bool Recomputable => true;

    /// <inheritdoc />
    public override IReadOnlyList<int> ForwardInputs => [];

    /// <inheritdoc />
    public override void Forward(Workspace<T> w)
    {
        if (written)
        {
            Array.Clear(w.Values[Output]);
        }
    }

    /// <inheritdoc />
    public override void Backward(Workspace<T> w)
    {
    }

    /// <inheritdoc />
    public override void TangentForward(Workspace<T> w)
    {
        // The tangent buffer of a zero slot is allocated zeroed and never written.
    }

    /// <inheritdoc />
    public override void BackwardTangent(Workspace<T> w)
    {
    }
}
