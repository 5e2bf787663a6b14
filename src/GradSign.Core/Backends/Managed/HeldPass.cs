using System.Runtime.InteropServices;
using GradSign.Backends.Execution;

namespace GradSign.Backends.Managed;

/// <summary>
/// Which batch-statistics forward pass a workspace currently holds the values of (those its plan keeps). A later pass
/// on the same batch (bitwise-equal images) reuses them instead of recomputing: GraSP's Hessian-vector product follows
/// a backward pass on the same batch. The batch is copied, so a caller changing its arrays in between is noticed.
/// Gradients are never held from one pass to the next.
/// </summary>
internal sealed class HeldPass(BufferPool pool)
{
    private float[] _images = [];
    private ForwardKeep? _forward;

    /// <summary>Which slots the held forward pass kept (null: none held).</summary>
    public ForwardKeep? Forward => _forward;

    /// <summary>Whether the values are the batch-statistics forward pass of <paramref name="batch"/>, with at least the
    /// slots <paramref name="keep"/> keeps or recomputes.</summary>
    public bool HoldsForward(Batch batch, ForwardKeep keep) => _forward is { } held && held >= keep && SameImages(batch);

    /// <summary>Forgets the held pass (call before overwriting values).</summary>
    public void Clear() => _forward = null;

    /// <summary>Forgets the held pass and gives the batch copy back to the pool (the executor is being disposed).</summary>
    public void Release()
    {
        Clear();
        pool.Return(_images);
        _images = [];
    }

    /// <summary>Records that the values now hold the batch-statistics forward pass of <paramref name="batch"/> (the slots
    /// <paramref name="keep"/> keeps).</summary>
    public void SetForward(Batch batch, ForwardKeep keep)
    {
        if (_images.Length != batch.Images.Length)
        {
            pool.Return(_images);
            _images = pool.Rent<float>(batch.Images.Length);
        }

        batch.Images.CopyTo(_images, 0);
        _forward = keep;
    }

    private bool SameImages(Batch batch)
        => MemoryMarshal.AsBytes(batch.Images.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(_images.AsSpan()));
}
