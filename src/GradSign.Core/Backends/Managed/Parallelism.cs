using GradSign.Backends.Managed.Kernels;

namespace GradSign.Backends.Managed;

/// <summary>
/// Splits independent work items into contiguous ranges run on up to <c>degree</c> threads
/// (<see cref="KernelParallel.ForRanges"/>). Every item is computed by exactly the same code whatever the split, so
/// results do not depend on the thread count.
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
        var threads = (int)Math.Min(degree, Math.Min(count, (count * workPerItem) / MinimumParallelWork));
        KernelParallel.ForRanges(count, Math.Max(threads, 1), body);
    }
}
