using System.Numerics;
using GradSign.Backends.Managed.Kernels;

namespace GradSign.Backends.Managed;

/// <summary>
/// Every buffer of one compiled network for one batch size: values, gradients, tangents and gradient tangents per
/// slot (a slot is the storage of one layer's output; identity layers share their input's slot), and parameter
/// arrays. Slot buffers are rented on first use and given back by the executor once a pass no longer needs them.
/// </summary>
internal sealed class Workspace<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferPool _pool;

    public Workspace(int batch, int[] slotSizes, bool[] tangentZero, int[] gradientOwner, T[][] parameters, int degree, BufferPool pool, KernelScratch scratch)
    {
        Scratch = scratch;
        Batch = batch;
        _pool = pool;
        Degree = degree;
        Params = parameters;
        TangentZero = tangentZero;
        Values = new SlotBuffers<T>(batch, slotSizes, pool);
        Grads = new SlotBuffers<T>(batch, slotSizes, pool, aliasOf: gradientOwner);
        Tangents = new SlotBuffers<T>(batch, slotSizes, pool, tangentZero);
        GradTangents = new SlotBuffers<T>(batch, slotSizes, pool, aliasOf: gradientOwner);
        GradWritten = new bool[slotSizes.Length];
        GradTangentWritten = new bool[slotSizes.Length];
        NeedsGrad = new bool[slotSizes.Length];
        ParamGrads = [.. parameters.Select(p => pool.Rent<T>(p.Length))];
        ParamNeeded = [.. parameters.Select(_ => true)];
    }

    /// <summary>The backend's kernel scratch.</summary>
    public KernelScratch Scratch { get; }

    /// <summary>Samples in the batch.</summary>
    public int Batch { get; }

    /// <summary>Threads the kernels may use.</summary>
    public int Degree { get; }

    /// <summary>True while BatchNorm uses per-sample statistics.</summary>
    public bool PerSample { get; set; }

    /// <summary>Output values per slot.</summary>
    public SlotBuffers<T> Values { get; }

    /// <summary>∂L/∂output per slot (a sum's only-consumed inputs share the sum's buffer).</summary>
    public SlotBuffers<T> Grads { get; }

    /// <summary>Whether a slot's gradient has been written during the current backward pass (later writers add).</summary>
    public bool[] GradWritten { get; }

    /// <summary>Whether a slot needs its gradient (false for the input unless requested).</summary>
    public bool[] NeedsGrad { get; }

    /// <summary>Output tangents per slot (slots whose tangent is identically zero are rented zeroed).</summary>
    public SlotBuffers<T> Tangents { get; }

    /// <summary>Slots whose tangent is identically zero (the input, <c>none</c> outputs).</summary>
    public bool[] TangentZero { get; }

    /// <summary>Tangents of the gradients per slot.</summary>
    public SlotBuffers<T> GradTangents { get; }

    /// <summary>Whether a slot's gradient tangent has been written during the current pass.</summary>
    public bool[] GradTangentWritten { get; }

    /// <summary>Parameter values (shared with the executor).</summary>
    public T[][] Params { get; }

    /// <summary>Parameter gradients.</summary>
    public T[][] ParamGrads { get; }

    /// <summary>Which parameters' gradients the current pass must produce (a proxy that scores only the weights skips
    /// biases and BatchNorm parameters); ops leave the others unwritten.</summary>
    public bool[] ParamNeeded { get; }

    /// <summary>Parameter tangents (the direction v of a Hessian-vector product).</summary>
    public T[][] ParamTangents { get; private set; } = [];

    /// <summary>Tangents of the parameter gradients (H·v).</summary>
    public T[][] ParamGradTangents { get; private set; } = [];

    /// <summary>Allocates the parameter tangent buffers if needed.</summary>
    public void EnsureTangents()
    {
        if (ParamTangents.Length == 0)
        {
            ParamTangents = [.. Params.Select(p => _pool.Rent<T>(p.Length))];
            ParamGradTangents = [.. Params.Select(p => _pool.Rent<T>(p.Length))];
        }
    }

    /// <summary>Gives every buffer back to the pool; the workspace must not be used afterwards.</summary>
    public void Release()
    {
        Values.ReleaseAll();
        Grads.ReleaseAll();
        Tangents.ReleaseAll();
        GradTangents.ReleaseAll();
        _pool.ReturnAll(ParamGrads);
        _pool.ReturnAll(ParamTangents);
        _pool.ReturnAll(ParamGradTangents);
        ParamTangents = [];
        ParamGradTangents = [];
    }

    /// <summary>Marks a slot's gradient written and returns whether it already was (then the caller adds).</summary>
    public bool ClaimGrad(int slot)
    {
        var accumulate = GradWritten[slot];
        GradWritten[slot] = true;
        return accumulate;
    }

    /// <summary>Marks a slot's gradient tangent written and returns whether it already was.</summary>
    public bool ClaimGradTangent(int slot)
    {
        var accumulate = GradTangentWritten[slot];
        GradTangentWritten[slot] = true;
        return accumulate;
    }
}
