using System.CommandLine;
using GradSign.Data;

namespace GradSign.Benchmarks.Commands;

/// <summary>
/// <c>gradsign merge --out all.csv shard-0.csv shard-1.csv …</c>: combines the results files of a sharded (or restarted)
/// study: same columns required, duplicate cells dropped, rows ordered by index; two different results for one cell
/// are an error.
/// </summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "Results files written by 'gradsign correlate' (e.g. one per --shard)" };
        var output = new Option<string>("--out") { Required = true, Description = "Merged results file (overwritten)" };
        var command = new Command("merge", "Merge correlation-study result files (shards): dedupe, order by index, fail on conflicting duplicates") { inputs, output };
        command.SetAction(parse =>
        {
            var files = parse.GetValue(inputs) ?? [];
            var target = parse.GetValue(output)!;
            var full = Path.GetFullPath(target);
            if (files.Any(f => string.Equals(Path.GetFullPath(f), full, StringComparison.Ordinal)))
            {
                throw new ArgumentException($"--out '{target}' is also an input; write the merge to a new file.");
            }

            var (schema, rows, duplicates) = StudyResultsFile.Merge(files);
            StudyResultsFile.Write(target, schema, rows);
            parse.InvocationConfiguration.Output.WriteLine(
                $"merged {rows.Count} cells from {files.Length} file(s) ({duplicates} duplicate row(s) dropped) -> {target}");
            return 0;
        });
        return command;
    }
}
