namespace GradSign.Backends.Managed;

/// <summary>
/// Large activation, gradient and tangent buffers kept by a <see cref="ManagedBackend"/> between the networks it
/// compiles. A zero-cost proxy compiles a fresh network per call and each one needs hundreds of megabytes; without
/// reuse every call faults in and zeroes fresh pages (kernel time) and churns the large-object heap. Buffers are
/// keyed by element type and exact length (a network needs only a few distinct sizes) and are handed out
/// uninitialised. At most <see cref="Capacity"/> bytes are retained; buffers beyond it are left to the GC.
/// </summary>
/// <threadsafety>Thread-safe: networks compiled on different threads share it.</threadsafety>
internal sealed class BufferPool
{
    /// <summary>
    /// Buffers below this many bytes (one page) are ordinary allocations. Anything larger is pooled: a batch-1 pass
    /// (SynFlow) has hundreds of 8–64 KiB buffers, and allocating them afresh moved the allocator through ~5 MB of new
    /// memory per call, each page costing a fault (~8 µs on a virtual machine).
    /// </summary>
    public const int MinimumPooledBytes = 1 << 12;

    private readonly Dictionary<(Type Type, int Length), Stack<Array>> _free = [];
    private readonly Lock _lock = new();
    private long _retained;

    /// <summary>Creates a pool retaining at most <paramref name="capacity"/> bytes.</summary>
    public BufferPool(long capacity) => Capacity = capacity;

    /// <summary>Most bytes retained while no network holds them.</summary>
    public long Capacity { get; }

    /// <summary>Bytes currently retained.</summary>
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

    /// <summary>An uninitialised array of exactly <paramref name="length"/> elements.</summary>
    public unsafe T[] Rent<T>(int length)
        where T : unmanaged
    {
        if ((long)length * sizeof(T) >= MinimumPooledBytes)
        {
            lock (_lock)
            {
                if (_free.TryGetValue((typeof(T), length), out var stack) && stack.TryPop(out var array))
                {
                    _retained -= (long)length * sizeof(T);
                    return (T[])array;
                }
            }
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
            if (_retained + bytes > Capacity)
            {
                return;
            }

            var key = (typeof(T), array.Length);
            if (!_free.TryGetValue(key, out var stack))
            {
                _free[key] = stack = new Stack<Array>();
            }

            stack.Push(array);
            _retained += bytes;
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

    /// <summary>Drops every retained buffer.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _free.Clear();
            _retained = 0;
        }
    }
}
