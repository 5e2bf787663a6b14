using System.Numerics;

namespace GradSign.Backends.Managed;

/// <summary>
/// One buffer per slot (values, gradients, tangents or gradient tangents of a workspace), rented from the pool on
/// first access and given back as soon as the executor knows no later step of the pass reads it. This is what keeps a
/// pass's memory at its live set (the activations the backward pass needs plus a frontier of gradients) instead of
/// every slot at once.
/// </summary>
internal sealed class SlotBuffers<T>(int batch, int[] slotSizes, BufferPool pool, bool[]? zeroed = null)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[]?[] _buffers = new T[slotSizes.Length][];

    /// <summary>Number of slots.</summary>
    public int Count => _buffers.Length;

    /// <summary>The buffer of <paramref name="slot"/>, rented (uninitialised, or zeroed for slots marked zeroed) on first
    /// access. Safe to call from several threads (a losing racer's buffer goes straight back to the pool).</summary>
    public T[] this[int slot] => _buffers[slot] ?? Allocate(slot);

    private T[] Allocate(int slot)
    {
        var fresh = zeroed is not null && zeroed[slot]
            ? pool.RentZeroed<T>(checked(slotSizes[slot] * batch))
            : pool.Rent<T>(checked(slotSizes[slot] * batch));
        var existing = Interlocked.CompareExchange(ref _buffers[slot], fresh, null);
        if (existing is null)
        {
            return fresh;
        }

        pool.Return(fresh);
        return existing;
    }

    /// <summary>Whether <paramref name="slot"/> currently has a buffer.</summary>
    public bool Holds(int slot) => _buffers[slot] is not null;

    /// <summary>Gives the buffer of <paramref name="slot"/> back (its contents are lost).</summary>
    public void Release(int slot)
    {
        if (_buffers[slot] is { } b)
        {
            _buffers[slot] = null;
            pool.Return(b);
        }
    }

    /// <summary>Gives every buffer back.</summary>
    public void ReleaseAll()
    {
        for (var s = 0; s < _buffers.Length; s++)
        {
            Release(s);
        }
    }
}
