namespace GradSign.Backends.Managed;

/// <summary>
/// Splits independent work items into contiguous ranges run on up to <c>degree</c> threads. Every item is computed
/// by exactly the same code whatever the split, so results do not depend on the thread count.
/// </summary>
internal static class Parallelism
{
    /// <summary>Below this many element operations a call stays on the calling thread.</summary>
    private const long MinimumParallelWork = 1 << 15;

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, <paramref name="count"/>) in ranges.</summary>
    /// <param name="degree">Most threads to use.</param>
    /// <param name="count">Number of items.</param>
    /// <param name="workPerItem">Rough element operations per item (decides whether splitting pays).</param>
    /// <param name="body">The work on a range [start, end).</param>
    public static void For(int degree, int count, long workPerItem, Action<int, int> body)
    {
        var chunks = (int)Math.Min(degree, Math.Min(count, (count * workPerItem) / MinimumParallelWork));
        if (chunks <= 1)
        {
            body(0, count);
            return;
        }

        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, i =>
            body((int)((long)i * count / chunks), (int)((long)(i + 1) * count / chunks)));
    }
}
