using System.CommandLine;
using GradSign.Benchmarks.Commands;

namespace GradSign.Benchmarks;

/// <summary>
/// The benchmark suites: <c>dotnet run -c Release --project src/GradSign.Benchmarks -- kernel-bench …</c> (GFLOP/s of the
/// managed kernels) and <c>-- bdn …</c> (the BenchmarkDotNet suites). Proxy timings against PyTorch use the
/// <c>gradsign bench</c> command.
/// </summary>
public static class Program
{
    /// <summary>Exit code for a failure while running.</summary>
    public const int Failure = 1;

    /// <summary>Exit code for bad arguments.</summary>
    public const int UsageError = 2;

    /// <summary>Entry point.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>0 on success, 1 on a failure, 2 on bad arguments.</returns>
    public static int Main(string[] args)
    {
        var root = new RootCommand("GradSign benchmark suites: managed kernel throughput and BenchmarkDotNet suites.")
        {
            KernelBenchCommand.Create(),
            BdnCommand.Create(),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"benchmarks: {parse.Errors[0].Message} (see --help)");
            return UsageError;
        }

        return parse.Invoke();
    }
}
