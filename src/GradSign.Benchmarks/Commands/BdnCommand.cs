using System.CommandLine;
using BenchmarkDotNet.Running;

namespace GradSign.Benchmarks.Commands;

/// <summary>
/// <c>bdn [BenchmarkDotNet arguments]</c>: runs the BenchmarkDotNet suites of this assembly, forwarding
/// every remaining argument to <see cref="BenchmarkSwitcher"/> (e.g. <c>--filter '*Kendall*' --job short</c>).
/// </summary>
internal static class BdnCommand
{
    public static Command Create()
    {
        var forwarded = new Argument<string[]>("args")
        {
            Description = "Arguments for BenchmarkDotNet (--filter, --job, --list flat, --inProcess, ...); put them after -- to pass --help",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("bdn", "Run BenchmarkDotNet suites (arguments are forwarded to BenchmarkSwitcher)") { forwarded };

        // BenchmarkDotNet's own options (--filter, --job, ...) are not ours: let them through instead of failing.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            // Unknown options land in the argument in their original order; anything still unmatched follows.
            string[] args = [.. parse.GetValue(forwarded) ?? [], .. parse.UnmatchedTokens];
            var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args).ToList();
            return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? Program.Failure : 0;
        });
        return command;
    }
}
