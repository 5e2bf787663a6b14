using System.CommandLine;
using BenchmarkDotNet.Running;

namespace GradSign.Benchmarks.Commands;

/// <summary>
/// <c>gradsign bdn [BenchmarkDotNet arguments]</c>: runs the BenchmarkDotNet suites of this assembly, e.g.
/// <c>gradsign bdn --filter *ConvBenchmarks* --inProcess</c>. Every token after <c>bdn</c> goes to BenchmarkDotNet unchanged.
/// </summary>
internal static class BdnCommand
{
    public static Command Create()
    {
        var rest = new Argument<string[]>("args") { Arity = ArgumentArity.ZeroOrMore, Description = "BenchmarkDotNet arguments (--filter, --inProcess, --job, --list flat, ...)" };
        var command = new Command("bdn", "Run the BenchmarkDotNet suites (arguments are passed to BenchmarkSwitcher)") { rest };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            // The raw tokens after the command name, in order (options BenchmarkDotNet knows are unknown to us).
            var args = parse.Tokens.SkipWhile(t => t.Value != "bdn").Skip(1).Select(t => t.Value).ToArray();
            BenchmarkSwitcher.FromAssembly(typeof(Cli).Assembly).Run(args);
            return 0;
        });
        return command;
    }
}
