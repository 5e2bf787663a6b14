using GradSign.Cli.Commands;

namespace GradSign.Cli;

/// <summary>The <c>gradsign</c> command line: the correlation study, scoring, statistics, search and benchmarks.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>0 on success, 1 on a failure while running, 2 on bad arguments.</returns>
    public static int Main(string[] args) => Cli.Run(args, Console.Out, Console.Error);
}
