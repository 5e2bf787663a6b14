using System.CommandLine;
using GradSign.Cli.Results;

namespace GradSign.Cli.Commands;

/// <summary>
/// <c>gradsign merge --out all.csv shard-0.csv shard-1.csv …</c>: combines the results files of a sharded (or restarted)
/// study: same settings and columns required, duplicate cells dropped, rows ordered by index; two different results for
/// one cell are an error. The output is written whole or not at all, and may not be one of the inputs (symbolic links
/// followed).
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
            foreach (var file in files)
            {
                OutputFiles.EnsureDistinct(("--out", target), ("input", file));
            }

            OutputFiles.EnsureWritable("--out", target);
            var (settings, schema, rows, duplicates) = StudyResultsFile.Merge(files, new ErrorLogger(parse.InvocationConfiguration.Error));
            StudyResultsFile.Write(target, settings, schema, rows);
            parse.InvocationConfiguration.Output.WriteLine(
                $"merged {rows.Count} cells from {files.Length} file(s) ({duplicates} duplicate row(s) dropped) -> {target}");
            return 0;
        });
        return command;
    }
}
