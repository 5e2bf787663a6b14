using System.Numerics;

namespace GradSign.Backends.Managed;

/// <summary>
/// One buffer per slot (values, gradients, tangents or gradient tangents of a workspace), rented from the pool on
/// first access and given back as soon as the executor knows no later step of the pass reads it. This is what keeps a
/// pass's memory at its live set (the activations the backward pass needs plus a frontier of gradients) instead of
/// every slot at once.
/// </summary>
/// <remarks>
/// Slots may share one buffer (<c>aliasOf[slot]</c> names the slot that owns it): a sum's gradient is its only-consumed
/// inputs' gradient too, so they read the sum's buffer instead of a copy. A shared buffer goes back to the pool when
/// every slot of its group has been released.
/// </remarks>
internal sealed class SlotBuffers<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[]?[] _buffers;
    private readonly int _batch;
    private readonly int[] _slotSizes;
    private readonly BufferPool _pool;
    private readonly bool[]? _zeroed;
    private readonly int[]? _owner;      // per slot: the slot whose buffer it uses (itself when not shared)
    private readonly int[]? _groupSize;  // per owner: how many slots use its buffer
    private readonly int[]? _holders;    // per owner: slots of its group not yet released since the buffer was rented
    private readonly bool[]? _released;  // per slot: released since its owner's buffer was rented

    public SlotBuffers(int batch, int[] slotSizes, BufferPool pool, bool[]? zeroed = null, int[]? aliasOf = null)
    {
        _batch = batch;
        _slotSizes = slotSizes;
        _pool = pool;
        _zeroed = zeroed;
        _buffers = new T[slotSizes.Length][];
        if (aliasOf is not null && aliasOf.Where((owner, slot) => owner != slot).Any())
        {
            _owner = aliasOf;
            _groupSize = new int[slotSizes.Length];
            foreach (var owner in aliasOf)
            {
                _groupSize[owner]++;
            }

            _holders = new int[slotSizes.Length];
            _released = new bool[slotSizes.Length];
        }
    }

    /// <summary>Number of slots.</summary>
    public int Count => _buffers.Length;

    /// <summary>The buffer of <paramref name="slot"/> (its owner's), rented (uninitialised, or zeroed for slots marked
    /// zeroed) on first access. Safe to call from several threads once rented; the executor rents before it forks.</summary>
    public T[] this[int slot] => _buffers[Owner(slot)] ?? Allocate(Owner(slot));

    /// <summary>Whether <paramref name="slot"/> currently has a buffer.</summary>
    public bool Holds(int slot) => _buffers[Owner(slot)] is not null;

    /// <summary>Gives the buffer of <paramref name="slot"/> back (its contents are lost); a shared buffer goes back once
    /// every slot of its group was released.</summary>
    public void Release(int slot)
    {
        var owner = Owner(slot);
        if (_buffers[owner] is not { } b)
        {
            return;
        }

        if (_holders is not null)
        {
            if (_released![slot])
            {
                return;
            }

            _released[slot] = true;
            if (--_holders[owner] > 0)
            {
                return;
            }
        }

        _buffers[owner] = null;
        _pool.Return(b);
    }

    /// <summary>Gives every buffer back.</summary>
    public void ReleaseAll()
    {
        for (var s = 0; s < _buffers.Length; s++)
        {
            if (_buffers[s] is { } b)
            {
                _buffers[s] = null;
                _pool.Return(b);
            }
        }
    }

    private int Owner(int slot) => _owner is null ? slot : _owner[slot];

    private T[] Allocate(int owner)
    {
        var fresh = _zeroed is not null && _zeroed[owner]
            ? _pool.RentZeroed<T>(checked(_slotSizes[owner] * _batch))
            : _pool.Rent<T>(checked(_slotSizes[owner] * _batch));
        var existing = Interlocked.CompareExchange(ref _buffers[owner], fresh, null);
        if (existing is not null)
        {
            _pool.Return(fresh); // a racing thread rented it first
            return existing;
        }

        if (_holders is not null)
        {
            _holders[owner] = _groupSize![owner];
            for (var s = 0; s < _owner!.Length; s++)
            {
                if (_owner[s] == owner)
                {
                    _released![s] = false;
                }
            }
        }

        return fresh;
    }
}
