using System.Buffers;

namespace GradSign.Statistics;

/// <summary>
/// Scratch buffers for the rank and correlation routines, rented from <see cref="ArrayPool{T}.Shared"/> on demand
/// and reused, so that repeated evaluations (bootstrap resamples, benchmarks) neither allocate nor churn the
/// large-object heap (n = 15,625 doubles is above its 85 KB threshold). Rented arrays are not cleared: every
/// routine writes a buffer before reading it. Not thread-safe: one workspace per call; dispose to return them.
/// </summary>
internal sealed class CorrelationWorkspace : IDisposable
{
    private double[] _keys = [];
    private double[] _first = [];
    private double[] _second = [];
    private double[] _centredX = [];
    private double[] _centredY = [];
    private int[] _orderX = [];
    private int[] _orderY = [];
    private int[] _rankX = [];
    private int[] _rankY = [];
    private int[] _sequence = [];
    private int[] _buffer = [];
    private ulong[] _radixKeys = [];
    private ulong[] _radixKeysBuffer = [];
    private int[] _radixOrderBuffer = [];

    /// <summary>Sort keys (a copy of the values being ranked).</summary>
    public Span<double> Keys(int n) => Ensure(ref _keys, n);

    /// <summary>First general-purpose double buffer (e.g. ranks of x, resampled x).</summary>
    public Span<double> First(int n) => Ensure(ref _first, n);

    /// <summary>Second general-purpose double buffer (e.g. ranks of y, resampled y).</summary>
    public Span<double> Second(int n) => Ensure(ref _second, n);

    /// <summary>Centred x for Pearson's r.</summary>
    public Span<double> CentredX(int n) => Ensure(ref _centredX, n);

    /// <summary>Centred y for Pearson's r.</summary>
    public Span<double> CentredY(int n) => Ensure(ref _centredY, n);

    /// <summary>Permutation sorting x.</summary>
    public Span<int> OrderX(int n) => Ensure(ref _orderX, n);

    /// <summary>Permutation sorting y.</summary>
    public Span<int> OrderY(int n) => Ensure(ref _orderY, n);

    /// <summary>Dense ranks of x.</summary>
    public Span<int> RankX(int n) => Ensure(ref _rankX, n);

    /// <summary>Dense ranks of y.</summary>
    public Span<int> RankY(int n) => Ensure(ref _rankY, n);

    /// <summary>The y ranks in (x, y) order, whose inversions are the discordant pairs.</summary>
    public Span<int> Sequence(int n) => Ensure(ref _sequence, n);

    /// <summary>Merge buffer.</summary>
    public Span<int> Buffer(int n) => Ensure(ref _buffer, n);

    /// <summary>Order-preserving keys for <see cref="RadixSort"/>.</summary>
    public Span<ulong> RadixKeys(int n) => Ensure(ref _radixKeys, n);

    /// <summary>Second key array for <see cref="RadixSort"/>'s ping-pong passes.</summary>
    public Span<ulong> RadixKeysBuffer(int n) => Ensure(ref _radixKeysBuffer, n);

    /// <summary>Second index array for <see cref="RadixSort"/>'s ping-pong passes.</summary>
    public Span<int> RadixOrderBuffer(int n) => Ensure(ref _radixOrderBuffer, n);

    /// <summary>Returns every rented buffer to the pool; the workspace must not be used afterwards.</summary>
    public void Dispose()
    {
        Return(ref _keys);
        Return(ref _first);
        Return(ref _second);
        Return(ref _centredX);
        Return(ref _centredY);
        Return(ref _orderX);
        Return(ref _orderY);
        Return(ref _rankX);
        Return(ref _rankY);
        Return(ref _sequence);
        Return(ref _buffer);
        Return(ref _radixKeys);
        Return(ref _radixKeysBuffer);
        Return(ref _radixOrderBuffer);
    }

    private static Span<T> Ensure<T>(ref T[] array, int n)
    {
        if (array.Length < n)
        {
            Return(ref array);
            array = ArrayPool<T>.Shared.Rent(n);
        }

        return array.AsSpan(0, n);
    }

    private static void Return<T>(ref T[] array)
    {
        if (array.Length > 0)
        {
            ArrayPool<T>.Shared.Return(array);
        }

        array = [];
    }
}
