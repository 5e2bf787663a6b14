using System.CommandLine;
using GradSign.Cli.Commands;

namespace GradSign.Cli;

/// <summary>Builds and runs the command tree; separate from <see cref="Program"/> so tests can call it.</summary>
public static class Cli
{
    /// <summary>Exit code for bad arguments.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code for a failure while running (bad data, I/O, a proxy's failure).</summary>
    public const int Failure = 1;

    /// <summary>Builds the root command with every sub-command.</summary>
    /// <returns>The root command.</returns>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("gradsign: zero-cost NAS proxies (GradSign, SynFlow, GraSP, SNIP, NASWOT, ...), correlation studies and benchmarks.");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>Parses and runs. Bad arguments print one line to <paramref name="error"/> and return <see cref="UsageError"/>.</summary>
    /// <param name="args">Arguments.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            error.WriteLine($"gradsign: {ParseErrors.Describe(parse, root)} (see --help)");
            return UsageError;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex)
        {
            // One line, never a stack trace: bad arguments exit 2; bad data, I/O, a proxy's failure (e.g. out of memory) and
            // anything unexpected exit 1. GRADSIGN_STACK_TRACE=1 prints the whole exception for debugging.
            var usage = ex is ArgumentException or FormatException or KeyNotFoundException;
            var expected = usage || ex is InvalidDataException or IOException or UnauthorizedAccessException or NotSupportedException or OutOfMemoryException;
            error.WriteLine(expected ? $"gradsign: {CliText.Describe(ex)}" : $"gradsign: unexpected {ex.GetType().Name}: {CliText.Describe(ex)}");
            if (Environment.GetEnvironmentVariable("GRADSIGN_STACK_TRACE") == "1")
            {
                error.WriteLine(ex);
            }

            return usage ? UsageError : Failure;
        }
    }
}
