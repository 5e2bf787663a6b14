using System.Numerics;

namespace GradSign.Backends.Managed.Ops;

/// <summary>
/// One compiled layer. Reads its inputs' slots and writes its output slot of a <see cref="Workspace{T}"/>. Backward
/// methods run only when the output's gradient was written; they add into an input's gradient when
/// <see cref="Workspace{T}.ClaimGrad"/> says it is already written, and skip inputs that need no gradient.
/// </summary>
internal abstract class LayerOp<T>(int layer, int output, int[] inputs)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Index in <c>NetworkSpec.Layers</c>.</summary>
    public int Layer { get; } = layer;

    /// <summary>Output slot.</summary>
    public int Output { get; } = output;

    /// <summary>Input slots.</summary>
    public int[] Inputs { get; } = inputs;

    /// <summary>Sizes internal state for <paramref name="batch"/> samples, renting large buffers from <paramref name="pool"/>.</summary>
    public virtual void Prepare(int batch, BufferPool pool)
    {
    }

    /// <summary>Allocates state for tangent passes (after <see cref="Prepare"/>).</summary>
    public virtual void PrepareTangents(int batch, BufferPool pool)
    {
    }

    /// <summary>Gives the buffers rented by <see cref="Prepare"/> and <see cref="PrepareTangents"/> back.</summary>
    public virtual void Release(BufferPool pool)
    {
    }

    /// <summary>Computes the output values.</summary>
    public abstract void Forward(Workspace<T> w);

    /// <summary>Propagates ∂L/∂output to the inputs.</summary>
    public abstract void Backward(Workspace<T> w);

    /// <summary>Overwrites this layer's parameter gradients in <paramref name="destination"/> (indexed by parameter), for the
    /// whole batch (<paramref name="sample"/> &lt; 0) or one sample, on at most <paramref name="degree"/> threads. Reads only
    /// the workspace, so samples (and layers) may run concurrently.</summary>
    public virtual void ParameterGradients(Workspace<T> w, int sample, T[][] destination, int degree)
    {
    }

    /// <summary>Relative cost of <see cref="ParameterGradients"/> per sample (multiply-adds), for balancing layers over threads.</summary>
    public virtual long ParameterGradientCost => 0;

    /// <summary>Computes the output tangent from the input and parameter tangents.</summary>
    public abstract void TangentForward(Workspace<T> w);

    /// <summary>Propagates the gradient tangent to the inputs.</summary>
    public abstract void BackwardTangent(Workspace<T> w);

    /// <summary>Writes the tangents of this layer's parameter gradients.</summary>
    public virtual void ParameterGradientTangents(Workspace<T> w)
    {
    }

    /// <summary>Parameter indices this layer owns (their gradients are written by <see cref="ParameterGradients"/>).</summary>
    public virtual IEnumerable<int> Parameters => [];

    /// <summary>Slots whose values (and, in a Hessian-vector product, tangents) this layer reads after the forward pass:
    /// the executor keeps them, or recomputes them (<see cref="Recomputable"/>), for the backward passes and gives every
    /// other slot back once its last reader ran.</summary>
    public virtual IEnumerable<int> SavedSlots => [];

    /// <summary>Whether <see cref="Forward"/> is cheap enough to run again after the forward pass instead of keeping its
    /// output (element-wise, pooling and normalising layers; not convolutions or matrix products). It must then write
    /// the same values (and internal state) each time it runs on the same inputs, and so must
    /// <see cref="TangentForward"/>.</summary>
    public virtual bool Recomputable => false;

    /// <summary>Slots <see cref="Forward"/> reads.</summary>
    public virtual IReadOnlyList<int> ForwardInputs => Inputs;
}
