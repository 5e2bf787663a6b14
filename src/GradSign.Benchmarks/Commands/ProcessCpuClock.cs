using System.Runtime.InteropServices;

namespace GradSign.Benchmarks.Commands;

/// <summary>CPU time of the whole process (every thread), for timings that a busy machine disturbs less than wall-clock
/// time: time the process spends waiting for a core is not counted.</summary>
internal static partial class ProcessCpuClock
{
    private const int ClockProcessCpuTimeId = 2;

    /// <summary>CPU seconds used by the process so far (CLOCK_PROCESS_CPUTIME_ID, nanosecond resolution); NaN where
    /// the clock is unavailable.</summary>
    public static unsafe double Seconds()
    {
        var ts = stackalloc long[2];
        return ClockGetTime(ClockProcessCpuTimeId, ts) == 0 ? ts[0] + (ts[1] * 1e-9) : double.NaN;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static unsafe partial int ClockGetTime(int clock, long* timespec);
}
