namespace GradSign.Backends.Managed;

/// <summary>
/// Activation, gradient and tangent buffers of the networks one <see cref="ManagedBackend"/> compiles, reused between
/// passes and between networks. A zero-cost proxy compiles a fresh network per call and each one needs tens to
/// hundreds of megabytes; without reuse every call faults in and zeroes fresh pages (kernel time) and churns the
/// large-object heap. Buffers are keyed by element type and exact length (a network needs only a few distinct sizes)
/// and are handed out uninitialised.
/// </summary>
/// <remarks>
/// <para>Bounded by what the networks need: buffers in use plus buffers kept stay within the most that recent periods
/// had in use at once (their high-water mark) plus a quarter (<see cref="Slack"/>: proxies that alternate on a cell
/// need slightly different sets, and without slack each would evict the other's buffers on every call), or within the
/// current period's own mark if that is higher (a network needing more than the recent ones keeps no other buffers at
/// its peak). Before it allocates a fresh buffer the pool drops kept buffers, least recently released first, until the
/// new total fits that bound. A period ends whenever every buffer is back (the network of a proxy
/// call is disposed); the mark is the largest of the last <see cref="RecentPeriods"/> periods' own marks, and kept
/// buffers none of those periods used are dropped, so one large network does not inflate the pool for the smaller
/// ones after it, while proxies that alternate on the same cell (a fresh network each) still find their buffers.</para>
/// <para>An optional cap bounds the kept bytes further (0 keeps nothing). <see cref="Clear"/> drops everything kept;
/// after <see cref="Close"/> returned buffers are no longer kept.</para>
/// </remarks>
/// <threadsafety>Thread-safe: networks compiled on different threads share it.</threadsafety>
internal sealed class BufferPool
{
    /// <summary>
    /// Buffers below this many bytes (one page) are ordinary allocations. Anything larger is pooled: a batch-1 pass
    /// (SynFlow) has hundreds of 8–64 KiB buffers, and allocating them afresh moved the allocator through ~5 MB of new
    /// memory per call, each page costing a fault (~8 µs on a virtual machine).
    /// </summary>
    public const int MinimumPooledBytes = 1 << 12;

    /// <summary>Periods (idle to idle) whose buffers and high-water marks the pool remembers. A scoring loop compiles one
    /// to a few networks per cell, and cells need up to five times as much as each other (42–211 MiB on NAS-Bench-201,
    /// batch 64), so a short memory drops a large cell's buffers just before the next large cell needs them again: over
    /// the README's 100-cell job (two networks per cell), remembering 4 periods allocated 4.5 GB afresh and induced 631
    /// collections, 16 periods 0.96 GB and 107 for 40 MB more peak RSS, 64 periods 0.70 GB and 75 for 97 MB more.</summary>
    public const int RecentPeriods = 16;

    /// <summary>Kept plus in-use bytes may exceed the high-water mark by this fraction of it.</summary>
    public const double Slack = 0.25;

    /// <summary>
    /// Once kept buffers of this many bytes were dropped since the last time, a fresh rent first has the GC collect them.
    /// Dropped buffers are garbage on the large-object heap, which the GC collects only when its own budget runs out,
    /// and fresh buffers are allocated beside them meanwhile: a pass whose mix of buffer sizes changes as it goes (a
    /// Hessian-vector product that recomputes segments of different resolutions) grew the process by ~100 MB of
    /// uncollected buffers. A collection of a heap of mostly large primitive arrays is short; measured on GraSP
    /// (NAS-Bench-201), a collection after every 4 MiB dropped left the peak ~20 MB below one after every 16 MiB.
    /// Networks that keep their buffer sizes (a scoring loop over cells of one space) drop few buffers.
    /// </summary>
    public const long CollectAfterDroppedBytes = 4L << 20;

    private readonly Dictionary<(Type Type, int Length), Stack<Kept>> _free = [];
    private readonly LinkedList<Kept> _lru = []; // least recently released first
    private readonly Lock _lock = new();
    private long _retained;
    private long _inUse;
    private readonly long[] _recentPeaks = new long[RecentPeriods]; // high-water marks of the last periods
    private long _peak;       // high-water mark of _inUse since the pool was last idle
    private long _highWater;  // high-water mark of _inUse since the last ResetHighWater
    private long _generation; // counts idle-to-idle periods
    private bool _closed;
    private readonly bool _collectDropped;
    private long _dropped; // bytes of kept buffers dropped since the last induced collection

    /// <summary>Creates a pool keeping at most <paramref name="capacity"/> bytes of released buffers (null: no cap beyond
    /// the high-water mark).</summary>
    /// <param name="capacity">Most bytes kept while no network holds them.</param>
    /// <param name="collectDropped">Whether dropped buffers are collected promptly (see <see cref="CollectAfterDroppedBytes"/>).</param>
    public BufferPool(long? capacity = null, bool collectDropped = true)
    {
        Capacity = capacity;
        _collectDropped = collectDropped;
    }

    /// <summary>Most bytes kept while no network holds them; null when only the high-water mark bounds them.</summary>
    public long? Capacity { get; }

    /// <summary>Bytes currently kept for reuse.</summary>
    public long RetainedBytes
    {
        get
        {
            lock (_lock)
            {
                return _retained;
            }
        }
    }

    /// <summary>Bytes of pooled-size buffers currently rented and not given back.</summary>
    public long InUseBytes
    {
        get
        {
            lock (_lock)
            {
                return _inUse;
            }
        }
    }

    /// <summary>Most pooled-size bytes rented at once since the pool was created or <see cref="ResetHighWater"/> was
    /// last called (tests bound a pass's live set with it).</summary>
    public long HighWaterBytes
    {
        get
        {
            lock (_lock)
            {
                return _highWater;
            }
        }
    }

    /// <summary>Starts a new <see cref="HighWaterBytes"/> measurement from the bytes rented now.</summary>
    public void ResetHighWater()
    {
        lock (_lock)
        {
            _highWater = _inUse;
        }
    }

    /// <summary>An uninitialised array of exactly <paramref name="length"/> elements.</summary>
    public unsafe T[] Rent<T>(int length)
        where T : unmanaged
    {
        var bytes = (long)length * sizeof(T);
        if (bytes < MinimumPooledBytes)
        {
            return GC.AllocateUninitializedArray<T>(length);
        }

        bool collect;
        lock (_lock)
        {
            // From the marks before this rent: the recent periods' with slack, the current period's without.
            var limit = Math.Max(Bound(_recentPeaks.Max()), _peak);
            _inUse += bytes;
            _peak = Math.Max(_peak, _inUse);
            _highWater = Math.Max(_highWater, _inUse);
            if (_free.TryGetValue((typeof(T), length), out var stack) && stack.TryPop(out var kept))
            {
                _lru.Remove(kept.Node);
                _retained -= bytes;
                kept.Generation = _generation;
                return (T[])kept.Array;
            }

            // A fresh buffer: first drop kept ones (oldest first) so that the total stays within the bound.
            while (_retained > 0 && _retained + _inUse > limit)
            {
                DropOldest();
            }

            collect = _collectDropped && _dropped >= CollectAfterDroppedBytes;
            if (collect)
            {
                _dropped = 0;
            }
        }

        if (collect)
        {
            // Outside the lock: other threads keep renting and returning while this one waits for the collection.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
        }

        return GC.AllocateUninitializedArray<T>(length);
    }

    /// <summary>A zeroed array of exactly <paramref name="length"/> elements.</summary>
    public T[] RentZeroed<T>(int length)
        where T : unmanaged
    {
        var array = Rent<T>(length);
        Array.Clear(array);
        return array;
    }

    /// <summary>Gives <paramref name="array"/> back; the caller must not use it afterwards.</summary>
    public unsafe void Return<T>(T[] array)
        where T : unmanaged
    {
        var bytes = (long)array.Length * sizeof(T);
        if (bytes < MinimumPooledBytes)
        {
            return;
        }

        lock (_lock)
        {
            _inUse = Math.Max(0, _inUse - bytes);
            if (!_closed && (Capacity is not { } cap || _retained + bytes <= cap))
            {
                var key = (typeof(T), array.Length);
                if (!_free.TryGetValue(key, out var stack))
                {
                    _free[key] = stack = new Stack<Kept>();
                }

                var kept = new Kept(array, key, bytes, _generation);
                kept.Node = _lru.AddLast(kept);
                stack.Push(kept);
                _retained += bytes;
            }

            if (_inUse == 0)
            {
                EndPeriod();
            }
        }
    }

    /// <summary>Tells the pool that <paramref name="array"/>, rented from it, now belongs to the caller's caller and will
    /// never be returned.</summary>
    public unsafe void Detach<T>(T[] array)
        where T : unmanaged
    {
        var bytes = (long)array.Length * sizeof(T);
        if (bytes < MinimumPooledBytes)
        {
            return;
        }

        lock (_lock)
        {
            _inUse = Math.Max(0, _inUse - bytes);
            if (_inUse == 0)
            {
                EndPeriod();
            }
        }
    }

    /// <summary>Gives back every array of <paramref name="arrays"/>.</summary>
    public void ReturnAll<T>(T[][] arrays)
        where T : unmanaged
    {
        foreach (var a in arrays)
        {
            Return(a);
        }
    }

    /// <summary>Drops every kept buffer (buffers in use stay with their networks).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _free.Clear();
            _lru.Clear();
            _retained = 0;
            Array.Clear(_recentPeaks);
        }
    }

    /// <summary>Drops every kept buffer and keeps none from now on.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
        }

        Clear();
    }

    /// <summary>All buffers are back: the recent periods' high-water marks bound what is kept, and kept buffers none of
    /// them used go.</summary>
    private void EndPeriod()
    {
        Array.Copy(_recentPeaks, 0, _recentPeaks, 1, _recentPeaks.Length - 1);
        _recentPeaks[0] = _peak;
        _peak = 0;
        for (var node = _lru.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.Generation <= _generation - RecentPeriods)
            {
                Drop(node.Value);
            }

            node = next;
        }

        var bound = Bound(_recentPeaks.Max());
        while (_retained > bound)
        {
            DropOldest();
        }

        _generation++;
    }

    private static long Bound(long mark) => mark + (long)(mark * Slack);

    private void DropOldest() => Drop(_lru.First!.Value);

    private unsafe void Drop(Kept kept)
    {
        _lru.Remove(kept.Node);
        var stack = _free[kept.Key];

        // Stacks are short (a network needs a few buffers of each length): rebuild without this entry.
        var rest = stack.Where(k => !ReferenceEquals(k, kept)).Reverse().ToArray();
        stack.Clear();
        foreach (var k in rest)
        {
            stack.Push(k);
        }

        _retained -= kept.Bytes;
        _dropped += kept.Bytes;
    }

    /// <summary>A kept buffer with its place in the release order and the period that last used it.</summary>
    private sealed class Kept(Array array, (Type Type, int Length) key, long bytes, long generation)
    {
        public Array Array { get; } = array;

        public (Type Type, int Length) Key { get; } = key;

        public long Bytes { get; } = bytes;

        public long Generation { get; set; } = generation;

        public LinkedListNode<Kept> Node { get; set; } = null!;
    }
}
