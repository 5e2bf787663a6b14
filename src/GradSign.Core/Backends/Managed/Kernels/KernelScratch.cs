using System.Buffers;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Scratch arrays of kernel calls (packed weight panels, im2col and Winograd workspaces, per-chunk partial sums, tap
/// tables), owned by one <see cref="ManagedBackend"/>: its compiled networks pass it to every kernel, so no process-wide
/// pool keeps any of their memory. Arrays are kept in power-of-two buckets, a few per bucket (what the backend's threads
/// use at once), like <see cref="ArrayPool{T}.Shared"/>; <see cref="Clear"/> (the backend's <c>TrimBuffers</c> and
/// <c>Dispose</c>) drops them. Callers without one (kernel tests, benchmarks) get <see cref="ArrayPool{T}.Shared"/>.
/// </summary>
/// <remarks>Arrays are handed out uninitialised and at least as long as asked; kernels read only the lengths they asked
/// for. An array is returned to the instance it came from, or, after <see cref="Clear"/>, to the fresh buckets (their
/// sizes are the same).</remarks>
/// <threadsafety>Thread-safe: a kernel's worker threads rent and return concurrently.</threadsafety>
internal sealed class KernelScratch
{
    /// <summary>Arrays kept per bucket and element type: one per worker thread and one for the calling thread.</summary>
    public static readonly int ArraysPerBucket = Environment.ProcessorCount + 1;

    /// <summary>Longest array kept (elements); longer ones are allocated per call.</summary>
    public const int MaxKeptLength = 1 << 26;

    private Pools _pools = new();
    private long _inUse;
    private long _highWater;

    /// <summary>Bytes of scratch rented and not yet returned.</summary>
    public long InUseBytes => Interlocked.Read(ref _inUse);

    /// <summary>Most scratch bytes rented at once since creation or <see cref="ResetHighWater"/>.</summary>
    public long HighWaterBytes => Interlocked.Read(ref _highWater);

    /// <summary>Starts a new <see cref="HighWaterBytes"/> measurement.</summary>
    public void ResetHighWater() => Interlocked.Exchange(ref _highWater, Interlocked.Read(ref _inUse));

    /// <summary>Drops every kept array (arrays in use are returned to fresh buckets).</summary>
    public void Clear() => Volatile.Write(ref _pools, new Pools());

    /// <summary>An uninitialised array of at least <paramref name="length"/> elements from <paramref name="scratch"/>,
    /// or from the shared pool when it is null.</summary>
    public static T[] Rent<T>(KernelScratch? scratch, int length)
        where T : unmanaged
        => scratch is null ? ArrayPool<T>.Shared.Rent(length) : scratch.RentOwn<T>(length);

    /// <summary>Gives back an array <see cref="Rent{T}"/> handed out for the same <paramref name="scratch"/>.</summary>
    public static void Return<T>(KernelScratch? scratch, T[] array)
        where T : unmanaged
    {
        if (scratch is null)
        {
            ArrayPool<T>.Shared.Return(array);
        }
        else
        {
            scratch.ReturnOwn(array);
        }
    }

    private unsafe T[] RentOwn<T>(int length)
        where T : unmanaged
    {
        var array = Volatile.Read(ref _pools).For<T>().Rent(length);
        var inUse = Interlocked.Add(ref _inUse, (long)array.Length * sizeof(T));
        long high;
        while (inUse > (high = Interlocked.Read(ref _highWater)) && Interlocked.CompareExchange(ref _highWater, inUse, high) != high)
        {
        }

        return array;
    }

    private unsafe void ReturnOwn<T>(T[] array)
        where T : unmanaged
    {
        Interlocked.Add(ref _inUse, -(long)array.Length * sizeof(T));
        Volatile.Read(ref _pools).For<T>().Return(array);
    }

    /// <summary>One bucketed pool per element type the kernels use.</summary>
    private sealed class Pools
    {
        private readonly ArrayPool<float> _floats = ArrayPool<float>.Create(MaxKeptLength, ArraysPerBucket);
        private readonly ArrayPool<double> _doubles = ArrayPool<double>.Create(MaxKeptLength, ArraysPerBucket);
        private readonly ArrayPool<int> _ints = ArrayPool<int>.Create(MaxKeptLength, ArraysPerBucket);

        public ArrayPool<T> For<T>()
            where T : unmanaged
            => typeof(T) == typeof(float) ? (ArrayPool<T>)(object)_floats
            : typeof(T) == typeof(double) ? (ArrayPool<T>)(object)_doubles
            : typeof(T) == typeof(int) ? (ArrayPool<T>)(object)_ints
            : throw new NotSupportedException($"No scratch pool for {typeof(T)}.");
    }
}
