using System.CommandLine;
using GradSign.Cli.Plots;
using GradSign.Cli.Results;
using GradSign.Cli.Studies;
using GradSign.Data;

namespace GradSign.Cli.Commands;

/// <summary>
/// <c>gradsign plots --out DIR [--name PREFIX] FILE…</c>: the figures of a correlation study (<see cref="StudyPlots"/>) from
/// its results files (the shards of one study, merged in memory; <c>.csv.gz</c> read as is) and the cells of the space
/// their settings record (NAS-Bench-201's table or the NAS-Bench-101 sample), so the figures in the
/// documentation are regenerated from the committed result files by one command.
/// </summary>
internal static class PlotsCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "Results files of one study (e.g. its shards)" };
        var output = new Option<string>("--out") { Required = true, Description = "Folder for the PNG files (created when missing)" };
        var name = new Option<string?>("--name") { Description = "File name prefix (default: space-dataset from the results' settings)" };
        var bootstrap = new Option<int>("--bootstrap") { DefaultValueFactory = _ => 1000, Description = "Bootstrap resamples for the intervals" };
        var data = CommonOptions.Data();
        var command = new Command("plots", "Draw a correlation study's figures (score vs accuracy, rank vs rank, ρ per proxy) from its results files")
        {
            inputs, output, name, bootstrap, data,
        };
        command.SetAction(parse =>
        {
            var resamples = parse.GetValue(bootstrap);
            if (resamples < 0)
            {
                throw new ArgumentException($"--bootstrap {resamples} must not be negative.");
            }

            var (settings, schema, rows, _) = StudyResultsFile.Merge(parse.GetValue(inputs) ?? []);
            var dataset = DatasetKinds.Parse(settings.Values.GetValueOrDefault("dataset") ?? throw new InvalidDataException("The results' settings name no dataset."));
            var space = StudyTables.Parse(settings.Values.GetValueOrDefault("space") ?? throw new InvalidDataException("The results' settings name no space."));
            var table = StudyTables.Load(space, CliDataFolder.Resolve(parse.GetValue(data)));
            var seed = ulong.Parse(settings.Values.GetValueOrDefault("seed") ?? "42", System.Globalization.CultureInfo.InvariantCulture);
            var report = StudySummary.Compute(schema, rows, table, dataset, resamples, seed);
            var prefix = parse.GetValue(name) ?? $"{table.Space}-{dataset.ToId()}";
            var files = StudyPlots.Write(parse.GetValue(output)!, prefix, schema, rows, report);
            parse.InvocationConfiguration.Output.WriteLine($"wrote {files.Count} figures of {rows.Count} cells to {parse.GetValue(output)}");
            return 0;
        });
        return command;
    }
}
