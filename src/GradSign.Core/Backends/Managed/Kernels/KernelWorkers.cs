using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// A team of background threads, one per processor beyond the first, that run the parts of one parallel kernel call
/// at a time and spin briefly between calls. A network pass makes hundreds of parallel calls of 50 µs to 1 ms each;
/// waking a blocked thread-pool worker for every one of them costs tens of microseconds on a virtual machine, and the
/// calling thread starts alone meanwhile (NASWOT on the all-1×1 cell ran about a tenth faster on 2 cores with the
/// thread pool told to spin longer). Workers that find no call within <see cref="SpinWindow"/> block until offered one.
/// </summary>
/// <remarks>
/// A call offers its job to as many workers as it may use and takes parts itself; when it runs out of parts it
/// withdraws the offer from workers that have not taken it up yet, so it never waits for a sleeping thread to wake,
/// only for parts already being computed. Calls from a worker, and calls made while another thread's call holds the
/// team, return false and the caller runs them by other means.
/// </remarks>
internal sealed class KernelWorkers
{
    /// <summary>How long an idle worker spins before it blocks: a few layers' worth of serial work between calls.</summary>
    private static readonly long SpinWindow = Stopwatch.Frequency / 5000; // 200 µs

    private static readonly Lazy<KernelWorkers?> s_shared = new(
        () => Environment.ProcessorCount > 1 ? new KernelWorkers(Environment.ProcessorCount - 1) : null);

    [ThreadStatic]
    private static bool t_inCall;

    private readonly Worker[] _workers;
    private int _held; // 1 while a call owns the team
    private Action<int> _body = static _ => { };
    private int _parts;
    private int _next;
    private ExceptionDispatchInfo? _error;

    /// <summary>Starts <paramref name="count"/> workers. One team per process (<see cref="Shared"/>); tests make their own.</summary>
    internal KernelWorkers(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        _workers = new Worker[count];
        for (var i = 0; i < count; i++)
        {
            _workers[i] = new Worker(this, i);
        }
    }

    /// <summary>The process's team, or null on a single processor.</summary>
    public static KernelWorkers? Shared => s_shared.Value;

    /// <summary>
    /// Runs <paramref name="body"/>(part) once for every part in [0, <paramref name="parts"/>) on the calling thread
    /// and up to <paramref name="threads"/> − 1 workers, parts handed out in order as threads become free. Returns false,
    /// having run nothing, when called from inside a call or while another call holds the team.
    /// </summary>
    public bool TryRun(int parts, int threads, Action<int> body)
    {
        if (t_inCall || Interlocked.CompareExchange(ref _held, 1, 0) != 0)
        {
            return false;
        }

        var helpers = Math.Min(Math.Min(threads, parts) - 1, _workers.Length);
        try
        {
            _body = body;
            _parts = parts;
            _next = 0;
            _error = null;
            for (var i = 0; i < helpers; i++)
            {
                _workers[i].Offer();
            }

            TakeParts();
            for (var i = 0; i < helpers; i++)
            {
                _workers[i].WithdrawOrAwait();
            }

            _error?.Throw();
            return true;
        }
        finally
        {
            _body = static _ => { };
            Volatile.Write(ref _held, 0);
        }
    }

    /// <summary>Runs parts until none is left; the first exception stops the handing out and is kept for the caller.</summary>
    private void TakeParts()
    {
        t_inCall = true;
        try
        {
            for (int part; (part = Interlocked.Increment(ref _next) - 1) < _parts;)
            {
                _body(part);
            }
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
            Volatile.Write(ref _next, int.MaxValue / 2);
        }
        finally
        {
            t_inCall = false;
        }
    }

    /// <summary>One worker thread and its offer state: 0 idle, 1 offered, 2 taken up (running parts).</summary>
    private sealed class Worker
    {
        private const int Idle = 0, Offered = 1, Running = 2;

        private readonly KernelWorkers _team;
        private readonly SemaphoreSlim _wake = new(0);
        private int _state;
        private int _sleeping;

        public Worker(KernelWorkers team, int index)
        {
            _team = team;
            new Thread(Loop) { IsBackground = true, Name = $"GradSign kernel worker {index + 1}" }.Start();
        }

        /// <summary>Offers the team's current call; wakes the thread if it sleeps. The exchange is a full fence, so
        /// either this call sees the worker's sleeping flag or the worker sees the offer (see <see cref="Loop"/>).</summary>
        public void Offer()
        {
            Interlocked.Exchange(ref _state, Offered);
            if (Volatile.Read(ref _sleeping) == 1)
            {
                _wake.Release();
            }
        }

        /// <summary>Withdraws an offer not taken up yet, or waits until the worker has finished the parts it took.</summary>
        public void WithdrawOrAwait()
        {
            if (Interlocked.CompareExchange(ref _state, Idle, Offered) == Offered)
            {
                return;
            }

            var spinner = default(SpinWait);
            while (Volatile.Read(ref _state) != Idle)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }

        private void Loop()
        {
            while (true)
            {
                var deadline = Stopwatch.GetTimestamp() + SpinWindow;
                while (Volatile.Read(ref _state) != Offered)
                {
                    if (Stopwatch.GetTimestamp() > deadline)
                    {
                        Interlocked.Exchange(ref _sleeping, 1);
                        if (Volatile.Read(ref _state) != Offered)
                        {
                            _wake.Wait(); // a stale release from an offer seen before this recheck only costs one more turn
                        }

                        Volatile.Write(ref _sleeping, 0);
                        deadline = Stopwatch.GetTimestamp() + SpinWindow;
                    }
                    else
                    {
                        Thread.SpinWait(20);
                    }
                }

                if (Interlocked.CompareExchange(ref _state, Running, Offered) == Offered)
                {
                    _team.TakeParts();
                    Volatile.Write(ref _state, Idle);
                }
            }
        }
    }
}
