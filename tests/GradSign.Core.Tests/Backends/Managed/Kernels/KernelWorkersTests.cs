using GradSign.Backends.Managed.Kernels;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>
/// <see cref="KernelWorkers.TryRun"/> runs every part exactly once on at most the threads it was given, passes the first
/// exception on with its type and leaves the team usable, and declines nested calls and calls while the team is held.
/// </summary>
[Trait("Category", "Kernels")]
public class KernelWorkersTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(7, 2)]
    [InlineData(37, 3)]
    [InlineData(3, 4)]
    [InlineData(101, 4)]
    public void TryRun_RunsEveryPartOnceOnAtMostThreads(int parts, int threads)
    {
        var team = new KernelWorkers(3);
        for (var call = 0; call < 50; call++)
        {
            var hits = new int[parts];
            var running = 0;
            var mostRunning = 0;
            var ran = team.TryRun(parts, threads, part =>
            {
                KernelParallelTests.InterlockedMax(ref mostRunning, Interlocked.Increment(ref running));
                Interlocked.Increment(ref hits[part]);
                Thread.SpinWait(200);
                Interlocked.Decrement(ref running);
            });

            Assert.True(ran);
            Assert.All(hits, h => Assert.Equal(1, h));
            Assert.True(mostRunning <= threads, $"{mostRunning} parts at once on {threads} threads");
        }
    }

    [Fact]
    public void TryRun_UsesTheWorkers()
    {
        var team = new KernelWorkers(1);
        var caller = Environment.CurrentManagedThreadId;
        var threadIds = new HashSet<int>();
        using var bothStarted = new Barrier(2);
        Assert.True(team.TryRun(2, 2, _ =>
        {
            lock (threadIds)
            {
                threadIds.Add(Environment.CurrentManagedThreadId);
            }

            bothStarted.SignalAndWait(); // each thread takes one part, or this would time out
        }));
        Assert.Equal(2, threadIds.Count);
        Assert.Contains(caller, threadIds);
    }

    [Fact]
    public void TryRun_PassesTheExceptionOnAndStaysUsable()
    {
        var team = new KernelWorkers(2);
        var error = Assert.Throws<InvalidOperationException>(() => team.TryRun(40, 3, part =>
        {
            if (part == 17)
            {
                throw new InvalidOperationException("part 17");
            }
        }));
        Assert.Equal("part 17", error.Message);

        var hits = new int[40];
        Assert.True(team.TryRun(40, 3, part => Interlocked.Increment(ref hits[part])));
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void TryRun_DeclinesNestedCalls()
    {
        var team = new KernelWorkers(1);
        var nested = new bool[4];
        Assert.True(team.TryRun(4, 2, part => nested[part] = team.TryRun(2, 2, _ => { })));
        Assert.All(nested, n => Assert.False(n));
    }

    [Fact]
    public void TryRun_DeclinesWhileAnotherThreadHoldsTheTeam()
    {
        var team = new KernelWorkers(1);
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var held = false;
        var holder = new Thread(() => held = team.TryRun(1, 1, _ =>
        {
            holding.Set();
            release.Wait();
        }));
        holder.Start();
        holding.Wait();
        Assert.False(team.TryRun(2, 2, _ => { }));
        release.Set();
        holder.Join();
        Assert.True(held);
        Assert.True(team.TryRun(2, 2, _ => { }));
    }

    [Fact]
    public void KernelParallelFor_FromConcurrentCallers_RunsEveryPartOnce()
    {
        // Two callers compete for the process's team: one holds it, the other falls back to the thread pool.
        var hits = new int[2, 500, 9];
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, caller =>
        {
            for (var call = 0; call < 500; call++)
            {
                KernelParallel.For(9, part => Interlocked.Increment(ref hits[caller, call, part]));
            }
        });
        foreach (var h in hits)
        {
            Assert.Equal(1, h);
        }
    }
}
