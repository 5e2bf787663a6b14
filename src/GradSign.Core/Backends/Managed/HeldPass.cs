using System.Runtime.InteropServices;
using GradSign.Backends.Execution;

namespace GradSign.Backends.Managed;

/// <summary>
/// What a workspace currently holds from earlier passes: the batch-statistics forward values of a batch, and
/// possibly the batch gradients of an objective. A later pass on the same batch (bitwise-equal images, and labels
/// for cross-entropy gradients) reuses them instead of recomputing: GraSP's Hessian-vector product follows a
/// backward pass on the same batch. The batch is copied, so a caller changing its arrays in between is noticed.
/// </summary>
internal sealed class HeldPass(BufferPool pool)
{
    private float[] _images = [];
    private int[] _labels = [];
    private ForwardKeep? _forward;
    private Objective? _gradients;

    /// <summary>Whether the values are the batch-statistics forward pass of <paramref name="batch"/>, with at least the
    /// slots <paramref name="keep"/> keeps.</summary>
    public bool HoldsForward(Batch batch, ForwardKeep keep) => _forward is { } held && held >= keep && SameImages(batch);

    /// <summary>Whether the gradients are those of <paramref name="objective"/> over <paramref name="batch"/>.</summary>
    public bool HoldsGradients(Batch batch, Objective objective)
        => HoldsForward(batch, ForwardKeep.Backward) && _gradients == objective
        && (objective != Objective.CrossEntropy || (batch.Labels is { } l && l.AsSpan().SequenceEqual(_labels)));

    /// <summary>Forgets everything (call before overwriting values).</summary>
    public void Clear()
    {
        _forward = null;
        _gradients = null;
    }

    /// <summary>Forgets everything and gives the batch copy back to the pool (the executor is being disposed).</summary>
    public void Release()
    {
        Clear();
        pool.Return(_images);
        _images = [];
    }

    /// <summary>Forgets the gradients (call before overwriting them).</summary>
    public void ClearGradients() => _gradients = null;

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
        _gradients = null;
    }

    /// <summary>Records that the gradients are those of <paramref name="objective"/> over the held batch.</summary>
    public void SetGradients(Batch batch, Objective objective)
    {
        if (objective == Objective.CrossEntropy)
        {
            _labels = [.. batch.Labels!];
        }

        _gradients = objective;
    }

    private bool SameImages(Batch batch)
        => MemoryMarshal.AsBytes(batch.Images.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(_images.AsSpan()));
}
