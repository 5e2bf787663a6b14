using System.Collections.Concurrent;
using GradSign.Backends.Managed.Kernels;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>
/// <see cref="KernelParallel.ForRanges"/> hands every index of [0, count) to exactly one range, in contiguous ranges,
/// never runs more ranges at once than it was given threads, and runs inline on one thread.
/// </summary>
[Trait("Category", "Kernels")]
public class KernelParallelTests
{
    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 2)]
    [InlineData(7, 2)]
    [InlineData(64, 2)]
    [InlineData(65, 3)]
    [InlineData(5, 4)]
    [InlineData(1000, 7)]
    public void ForRanges_CoversEveryIndexOnce(int count, int threads)
    {
        var hits = new int[count];
        var ranges = new ConcurrentBag<(int Start, int End)>();
        var running = 0;
        var mostRunning = 0;
        KernelParallel.ForRanges(count, threads, (start, end) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostRunning, now);
            ranges.Add((start, end));
            for (var i = start; i < end; i++)
            {
                Interlocked.Increment(ref hits[i]);
            }

            Thread.Sleep(1);
            Interlocked.Decrement(ref running);
        });

        Assert.All(hits, h => Assert.Equal(1, h));
        Assert.All(ranges, r => Assert.True(r.Start <= r.End, $"range [{r.Start}, {r.End})"));
        Assert.True(ranges.Count <= Math.Max(1, Math.Min(count, threads * KernelParallel.RangesPerThread)), $"{ranges.Count} ranges");
        Assert.True(mostRunning <= threads, $"{mostRunning} ranges at once on {threads} threads");
    }

    [Fact]
    public void ForRanges_OneThread_RunsInlineAsOneRange()
    {
        var caller = Environment.CurrentManagedThreadId;
        var calls = new List<(int, int, int)>();
        KernelParallel.ForRanges(10, 1, (start, end) => calls.Add((start, end, Environment.CurrentManagedThreadId)));
        Assert.Equal([(0, 10, caller)], calls);
    }

    /// <summary>Raises <paramref name="target"/> to <paramref name="value"/> if that is higher (the most ranges seen at once).</summary>
    internal static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
