namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Work splitting for the kernels. Work is cut into contiguous index ranges whose results never depend on which
/// thread runs them or how many ranges there are (every output element is produced by exactly one range, with a fixed
/// summation order), so results are bit-identical for any degree of parallelism.
/// </summary>
internal static class KernelParallel
{
    /// <summary>Below this many multiply-adds (~1M: 5–20 µs of work) a call runs on the calling thread: waking a worker
    /// costs more than it saves (measured on the 2-core VM: SynFlow, which runs many batch-1 convolutions, took a third
    /// less time on the all-1×1 cell when its small kernels stopped splitting).</summary>
    public const long SerialThreshold = 1L << 20;

    /// <summary>Threads to use: all processors for −1 (or any value ≤ 0), else at most <paramref name="maxDegreeOfParallelism"/>.</summary>
    public static int Threads(int maxDegreeOfParallelism, long multiplyAdds)
    {
        if (multiplyAdds < SerialThreshold)
        {
            return 1;
        }

        var cores = Environment.ProcessorCount;
        return maxDegreeOfParallelism <= 0 ? cores : Math.Min(cores, maxDegreeOfParallelism);
    }

    /// <summary>Runs <paramref name="body"/>(part) for part in [0, parts); inline when there is one part. Calls run on the
    /// process's <see cref="KernelWorkers"/> team, or on the thread pool when the team is held by another call.</summary>
    public static void For(int parts, Action<int> body)
    {
        if (parts <= 1)
        {
            body(0);
            return;
        }

        Run(parts, parts, body);
    }

    /// <summary>Most ranges per thread <see cref="ForRanges"/> cuts.</summary>
    public const int RangesPerThread = 4;

    /// <summary>Runs <paramref name="body"/>(start, end) on <paramref name="threads"/> threads over contiguous ranges
    /// of [0, <paramref name="count"/>) cut finer than one per thread (up to <see cref="RangesPerThread"/> each) and
    /// handed out as threads become free, so that a thread the machine preempts leaves its remaining ranges to the
    /// others instead of holding up the call; inline when there is one thread. Only for items computed independently
    /// of each other (whole samples), so the cut changes no result.</summary>
    public static void ForRanges(int count, int threads, Action<int, int> body)
    {
        var parts = Math.Min(count, threads * RangesPerThread);
        if (threads <= 1 || parts <= 1)
        {
            body(0, count);
            return;
        }

        void Part(int part)
        {
            var (start, end) = Range(count, parts, part);
            body(start, end);
        }

        Run(parts, threads, Part);
    }

    /// <summary>Parts [0, <paramref name="parts"/>) on up to <paramref name="threads"/> threads: the process's
    /// <see cref="KernelWorkers"/> team, or the thread pool when the team is held by another call.</summary>
    private static void Run(int parts, int threads, Action<int> body)
    {
        if (KernelWorkers.Shared?.TryRun(parts, threads, body) != true)
        {
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
        }
    }

    /// <summary>The <paramref name="part"/>-th of <paramref name="parts"/> near-equal contiguous ranges of [0, count),
    /// with interior boundaries rounded to multiples of <paramref name="granule"/>.</summary>
    public static (int Start, int End) Range(int count, int parts, int part, int granule = 1)
    {
        var units = (count + granule - 1) / granule;
        var start = (int)Math.Min(count, (long)units * part / parts * granule);
        var end = part == parts - 1 ? count : (int)Math.Min(count, (long)units * (part + 1) / parts * granule);
        return (start, end);
    }
}
