namespace GradSign.Statistics;

/// <summary>
/// Scratch buffers for the rank and correlation routines, grown on demand and reused, so that repeated
/// evaluations (bootstrap resamples) do not allocate. Not thread-safe: one workspace per thread.
/// </summary>
internal sealed class CorrelationWorkspace
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

    private static Span<T> Ensure<T>(ref T[] array, int n)
    {
        if (array.Length < n)
        {
            array = new T[n];
        }

        return array.AsSpan(0, n);
    }
}
