using System.CommandLine;
using GradSign.Cli.Plots;
using GradSign.Cli.Results;
using GradSign.Cli.Studies;
using GradSign.Data;
using GradSign.Proxies;
using GradSign.Statistics;

namespace GradSign.Cli.Commands;

/// <summary>
/// <c>gradsign plots --out DIR [--name PREFIX] [--vote A,B,…] [--target COLUMN] [--summary FILE] FILE…</c>: the figures of a correlation study
/// (<see cref="StudyPlots"/>) and its summary table from its results files (the shards of one study, merged in memory;
/// <c>.csv.gz</c> read as is) and the cells of the space their settings record (NAS-Bench-201's table or the
/// NAS-Bench-101 sample), so the figures and numbers in the documentation are regenerated from the committed result
/// files by one command. Ensembles get a line where the results hold all their members' columns: the registered ones,
/// and a mean-rank and a log-rank line for each <c>--vote</c> set. <c>--target</c> correlates the same scores with another
/// accuracy column of the table instead of the one the results hold (as <c>correlate --target</c> would have).
/// </summary>
internal static class PlotsCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "Results files of one study (e.g. its shards)" };
        var output = new Option<string>("--out") { Required = true, Description = "Folder for the PNG files (created when missing)" };
        var name = new Option<string?>("--name") { Description = "File name prefix (default: space-dataset from the results' settings)" };
        var bootstrap = new Option<int>("--bootstrap") { DefaultValueFactory = _ => 1000, Description = "Bootstrap resamples for the intervals" };
        var votes = new Option<string[]>("--vote")
        {
            Description = "Comma-separated proxy columns to combine by mean rank and by Σ log(rank/n), one line each (may repeat)",
            AllowMultipleArgumentsPerToken = false,
        };
        var target = new Option<string?>("--target") { Description = "Accuracy column of the benchmark table to correlate with instead of the results' own (e.g. cifar10_test)" };
        var summary = new Option<string?>("--summary") { Description = "Also write the summary as JSON to this file" };
        var json = CommonOptions.Json();
        var data = CommonOptions.Data();
        var command = new Command("plots", "Draw a correlation study's figures (score vs accuracy, rank vs rank, ρ per proxy) and print its summary, from its results files")
        {
            inputs, output, name, bootstrap, votes, target, summary, json, data,
        };
        command.SetAction(parse =>
        {
            var resamples = parse.GetValue(bootstrap);
            if (resamples < 0)
            {
                throw new ArgumentException($"--bootstrap {resamples} must not be negative.");
            }

            var files = parse.GetValue(inputs) ?? [];
            var summaryPath = parse.GetValue(summary);
            if (summaryPath is not null)
            {
                foreach (var file in files)
                {
                    OutputFiles.EnsureDistinct(("--summary", summaryPath), ("results file", file));
                }

                OutputFiles.EnsureWritable("--summary", summaryPath);
            }

            var (settings, schema, rows, _) = StudyResultsFile.Merge(files);
            var dataset = DatasetKinds.Parse(settings.Values.GetValueOrDefault("dataset") ?? throw new InvalidDataException("The results' settings name no dataset."));
            var space = StudyTables.Parse(settings.Values.GetValueOrDefault("space") ?? throw new InvalidDataException("The results' settings name no space."));
            var table = StudyTables.Load(space, CliDataFolder.Resolve(parse.GetValue(data)));
            if (parse.GetValue(target) is { } column && column != schema.Target)
            {
                (schema, rows) = Retarget(schema, rows, table, column);
            }

            var seed = ulong.Parse(settings.Values.GetValueOrDefault("seed") ?? "42", System.Globalization.CultureInfo.InvariantCulture);
            var ensembles = Ensembles(schema, parse.GetValue(votes) ?? []);
            var report = StudySummary.Compute(schema, rows, table, dataset, resamples, seed, ensembles);
            var prefix = parse.GetValue(name) ?? $"{table.Space}-{dataset.ToId()}";
            var figures = StudyPlots.Write(parse.GetValue(output)!, prefix, schema, rows, report);
            var console = parse.InvocationConfiguration.Output;
            StudySummary.Publish(report, console, parse.GetValue(json), summaryPath);
            if (!parse.GetValue(json))
            {
                console.WriteLine($"wrote {figures.Count} figures of {rows.Count} cells to {parse.GetValue(output)}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>The rows with their target replaced by the table's <paramref name="column"/> for each cell.</summary>
    private static (StudyResultsSchema, IReadOnlyList<StudyRow>) Retarget(StudyResultsSchema schema, IReadOnlyList<StudyRow> rows, IStudyTable table, string column)
    {
        StudyTables.RequireTarget(table, column);
        return (new StudyResultsSchema(schema.Proxies, column), [.. rows.Select(r => r with { Target = table.Value(r.Index, column) })]);
    }

    /// <summary>The registered ensembles whose members are all columns, then a mean-rank and a log-rank ensemble per <c>--vote</c> set.</summary>
    private static List<ProxyEnsemble> Ensembles(StudyResultsSchema schema, IReadOnlyList<string> voteSets)
    {
        var registry = CliProxies.Create();
        var ensembles = registry.Ensembles.Where(e => e.Members.All(m => schema.Proxies.Contains(m.Id))).ToList();
        foreach (var set in voteSets)
        {
            var ids = set.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var missing = ids.Where(id => !schema.Proxies.Contains(id)).ToList();
            if (ids.Length < 2 || missing.Count > 0)
            {
                throw new ArgumentException(missing.Count > 0
                    ? $"--vote '{CliText.Clip(set)}': no column {string.Join(", ", missing.Select(m => $"'{CliText.Clip(m)}'"))} in the results (columns: {string.Join(", ", schema.Proxies)})."
                    : $"--vote '{CliText.Clip(set)}' must name at least two proxy columns.");
            }

            var members = ids.Select(id => registry.Get(id)).ToList();
            var label = string.Join("+", ids);
            ensembles.Add(new ProxyEnsemble($"vote({label})", RankAggregationMethod.MeanRank, members));
            ensembles.Add(new ProxyEnsemble($"logrank({label})", RankAggregationMethod.LogRank, members));
        }

        return ensembles;
    }
}
