using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GradSign.Cli.Results;
using GradSign.Cli.Search;
using GradSign.Data;
using GradSign.Search;
using Spectre.Console;
using GradSign.SearchSpaces.NasBench201;

namespace GradSign.Cli.Commands;

/// <summary>
/// <c>gradsign search --algo rs|rea|reinforce|bohb --proxy none|gradsign|synflow|… [--scores FILE|published] --runs R --budget B
/// --seed S [--warmup W] [--candidates K] [BOHB: --eta --fidelities --num-samples --random-fraction --top-percent --min-points
/// --min-bandwidth] [--json]</c>: simulated NAS-Bench-201 searches (12-epoch validation accuracy as the training signal, BOHB
/// also 200-epoch; a budget of 12-epoch trainings; precomputed proxy scores), summarised as mean ± std over runs of the best
/// cell's 200-epoch test accuracies.
/// </summary>
internal static class SearchCommand
{
    /// <summary>The <c>--scores</c> value that selects the published NAS-Bench-Suite-Zero scores in <c>nb201.csv.gz</c>.</summary>
    public const string Published = "published";

    public static Command Create()
    {
        var algo = new Option<string>("--algo", "--algorithm") { Required = true, Description = "Search algorithm: rs, rea, reinforce or bohb" };
        var proxy = new Option<string>("--proxy") { DefaultValueFactory = _ => "none", Description = "Proxy steering the search (a column of --scores), or none" };
        var scores = new Option<string?>("--scores") { Description = "Proxy scores: a 'gradsign correlate' results CSV, or 'published' (NAS-Bench-Suite-Zero CIFAR-10 scores). Restricts the space to the scored cells, also for --proxy none" };
        var runs = new Option<int>("--runs") { DefaultValueFactory = _ => 100, Description = "Independent runs" };
        var budget = new Option<int>("--budget") { DefaultValueFactory = _ => 100, Description = "Budget per run in 12-epoch trainings (bohb: a 200-epoch training costs 200/12)" };
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => 42UL, Description = "Experiment seed (run r uses a seed derived from it; default 42, as every command)" };
        var warmup = new Option<int>("--warmup") { DefaultValueFactory = _ => 0, Description = "Warm-up: score W random cells and train the best-scored first (0 = off)" };
        var warmupTake = new Option<int?>("--warmup-take") { Description = "Warm-up cells trained first (default: rs the whole budget, rea the population, reinforce 10)" };
        var candidates = new Option<int>("--candidates") { DefaultValueFactory = _ => ProxyAssist<int>.DefaultCandidates, Description = "Move proposal: candidates scored per trained cell (1 = off)" };
        var population = new Option<int>("--population") { DefaultValueFactory = _ => RegularizedEvolutionOptions.Default.Population, Description = "REA population" };
        var sampleSize = new Option<int>("--sample-size") { DefaultValueFactory = _ => RegularizedEvolutionOptions.Default.SampleSize, Description = "REA tournament size" };
        var learningRate = new Option<double>("--learning-rate") { DefaultValueFactory = _ => ReinforceOptions.Default.LearningRate, Description = "REINFORCE Adam learning rate" };
        var eta = new Option<int>("--eta") { DefaultValueFactory = _ => BohbOptions.Default.Eta, Description = "BOHB: successive-halving rate (keep the best 1/eta per rung), at least 2" };
        var fidelities = new Option<string>("--fidelities") { DefaultValueFactory = _ => "12,200", Description = "BOHB: rung ladder in epochs, 12,200 (Hyperband over both tables) or 12" };
        var numSamples = new Option<int>("--num-samples") { DefaultValueFactory = _ => BohbOptions.Default.Samples, Description = "BOHB: draws from the good density per model-based proposal" };
        var randomFraction = new Option<double>("--random-fraction") { DefaultValueFactory = _ => BohbOptions.Default.RandomFraction, Description = "BOHB: fraction of proposals drawn uniformly, in [0, 1]" };
        var topPercent = new Option<double>("--top-percent") { DefaultValueFactory = _ => BohbOptions.Default.TopPercent, Description = "BOHB: percentage of observations in the good density, in (0, 100)" };
        var minPoints = new Option<int?>("--min-points") { Description = "BOHB: least points per density (default: edges + 1 = 7)" };
        var minBandwidth = new Option<double>("--min-bandwidth") { DefaultValueFactory = _ => BohbOptions.Default.MinBandwidth, Description = "BOHB: floor of the kernel bandwidths, in [0, 1)" };
        var signal = new Option<string>("--signal") { DefaultValueFactory = _ => NasBench201SearchOptions.DefaultSignalColumn, Description = "Search-signal column of nb201_12epoch.csv.gz" };
        var data = CommonOptions.Data();
        var json = CommonOptions.Json();
        var command = new Command("search", "Simulated NAS-Bench-201 search (RS, REA, REINFORCE, BOHB), vanilla or proxy-assisted; mean ± std of the best cell's 200-epoch test accuracies")
        {
            algo, proxy, scores, runs, budget, seed, warmup, warmupTake, candidates, population, sampleSize, learningRate,
            eta, fidelities, numSamples, randomFraction, topPercent, minPoints, minBandwidth, signal, data, json,
        };
        Option[] bohbOnly = [eta, fidelities, numSamples, randomFraction, topPercent, minPoints, minBandwidth];
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var proxyId = parse.GetValue(proxy)!;
            var useProxy = !string.Equals(proxyId, "none", StringComparison.Ordinal);
            var scoresArg = parse.GetValue(scores);
            if (useProxy && scoresArg is null)
            {
                throw new ArgumentException($"--proxy {proxyId} needs --scores FILE (a 'gradsign correlate' results CSV) or --scores {Published}.");
            }

            var algorithm = SearchAlgorithms.Parse(parse.GetValue(algo)!);
            if (algorithm != SearchAlgorithm.Bohb && bohbOnly.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } stray)
            {
                throw new ArgumentException($"{stray.Name} applies to --algo bohb only.");
            }

            var options = new NasBench201SearchOptions
            {
                Algorithm = algorithm,
                Runs = parse.GetValue(runs),
                Budget = parse.GetValue(budget),
                Seed = parse.GetValue(seed),
                SignalColumn = parse.GetValue(signal)!,
                UseProxy = useProxy,
                Candidates = parse.GetValue(candidates),
                Warmup = parse.GetValue(warmup),
                WarmupTake = parse.GetValue(warmupTake),
                Evolution = new RegularizedEvolutionOptions(parse.GetValue(population), parse.GetValue(sampleSize)),
                Reinforce = ReinforceOptions.Default with { LearningRate = parse.GetValue(learningRate) },
                Bohb = new BohbOptions(
                    parse.GetValue(eta), parse.GetValue(numSamples), parse.GetValue(randomFraction), parse.GetValue(topPercent), parse.GetValue(minPoints), parse.GetValue(minBandwidth)),
                Fidelities = ParseFidelities(parse.GetValue(fidelities)!),
            };
            CommonOptions.WithOptionNames(() =>
            {
                options.Validate();
                return options;
            });
            if (!useProxy && (options.Warmup > 0 || parse.GetResult(candidates) is { Implicit: false }))
            {
                throw new ArgumentException("--warmup and --candidates need a --proxy.");
            }

            var folder = CliDataFolder.Resolve(parse.GetValue(data));
            var finalTable = NasBench201Table.LoadDefault(folder);
            var simulation = new NasBench201SearchSimulation(finalTable, NasBench201Table.LoadTwelveEpoch(folder), options.SignalColumn);
            var table = scoresArg is null ? null : LoadScores(scoresArg, useProxy ? proxyId : null, finalTable);
            var report = simulation.Run(options, table);
            if (report.Note is not null)
            {
                error.WriteLine($"note: {report.Note}");
            }

            if (parse.GetValue(json))
            {
                output.WriteLine(ToJson(report));
            }
            else
            {
                WriteTable(report, output);
            }

            return 0;
        });
        return command;
    }

    /// <summary>Parses <c>--fidelities</c>: epochs joined by commas (the range is checked by the options).</summary>
    private static int[] ParseFidelities(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var epochs = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out epochs[i]))
            {
                throw new ArgumentException($"--fidelities '{text}': '{parts[i]}' is not a number of epochs; expected 12,200 or 12.");
            }
        }

        return epochs;
    }

    /// <summary>Scores for <paramref name="proxyId"/>, or (for a vanilla run) just the set of scored cells.</summary>
    private static ProxyScoreTable LoadScores(string source, string? proxyId, NasBench201Table finalTable)
    {
        if (string.Equals(source, Published, StringComparison.Ordinal))
        {
            // Every published column covers the same 9,445 cells without dead edges; synflow stands for them in a vanilla run.
            return ProxyScoreTable.FromPublished(finalTable, proxyId ?? GradSign.Proxies.ProxyIds.SynFlow);
        }

        if (proxyId is null)
        {
            var first = StudyResultsFile.Read(source).Schema.Proxies[0];
            return ProxyScoreTable.FromStudyResults(source, first);
        }

        return ProxyScoreTable.FromStudyResults(source, proxyId);
    }

    internal static string ToJson(NasBench201SearchReport report)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            foreach (var column in NasBench201SearchSimulation.ReportColumns)
            {
                WriteMeanStd(writer, column, report.Summary(column));
            }

            writer.WriteStartObject("search");
            writer.WriteString("algo", report.Options.Algorithm.ToId());
            writer.WriteString("proxy", report.Proxy ?? "none");
            if (report.ScoreSource is null)
            {
                writer.WriteNull("scores");
            }
            else
            {
                writer.WriteString("scores", report.ScoreSource);
            }

            writer.WriteNumber("runs", report.Runs.Count);
            writer.WriteNumber("budget", report.Options.Budget);
            writer.WriteNumber("budget_epochs", report.BudgetEpochs);
            writer.WriteNumber("seed", report.Options.Seed);
            writer.WriteString("signal", report.Options.SignalColumn);
            writer.WriteNumber("cells", report.SpaceSize);
            writer.WriteNumber("candidates", report.Proxy is null ? 1 : report.Options.Candidates);
            writer.WriteNumber("warmup", report.Proxy is null ? 0 : report.Options.Warmup);
            WriteMeanStd(writer, "best_signal", report.BestSignal);
            CliJson.WriteNumber(writer, "proxy_calls_per_run", report.ProxyCallsPerRun);
            CliJson.WriteNumber(writer, "proxy_seconds_per_run", report.ProxySecondsPerRun);
            writer.WriteNumber("trainings_per_run", report.TrainingsPerRun);
            writer.WriteNumber("epochs_per_run", report.EpochsPerRun);
            if (report.Options.Algorithm == SearchAlgorithm.Bohb)
            {
                WriteBohb(writer, report);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteBohb(Utf8JsonWriter writer, NasBench201SearchReport report)
    {
        var o = report.Options;
        writer.WriteStartArray("fidelities");
        foreach (var f in o.Fidelities)
        {
            writer.WriteNumberValue(f);
        }

        writer.WriteEndArray();
        writer.WriteStartObject("trainings_per_run_at");
        foreach (var f in o.Fidelities)
        {
            writer.WriteNumber(f.ToString(CultureInfo.InvariantCulture), report.TrainingsPerRunAt(f));
        }

        writer.WriteEndObject();
        writer.WriteNumber("best_at_200_fraction", report.Runs.Count(r => r.BestEpochs == NasBench201SearchOptions.FullEpochs) / (double)report.Runs.Count);
        writer.WriteNumber("eta", o.Bohb.Eta);
        writer.WriteNumber("num_samples", o.Bohb.Samples);
        writer.WriteNumber("random_fraction", o.Bohb.RandomFraction);
        writer.WriteNumber("top_percent", o.Bohb.TopPercent);
        if (o.Bohb.MinPointsInModel is { } minPoints)
        {
            writer.WriteNumber("min_points", minPoints);
        }
        else
        {
            writer.WriteNull("min_points");
        }

        writer.WriteNumber("min_bandwidth", o.Bohb.MinBandwidth);
    }

    private static void WriteMeanStd(Utf8JsonWriter writer, string name, MeanStd value)
    {
        writer.WriteStartObject(name);
        CliJson.WriteNumber(writer, "mean", value.Mean);
        CliJson.WriteNumber(writer, "std", value.Std);

        writer.WriteEndObject();
    }

    private static void WriteTable(NasBench201SearchReport report, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
        });
        var o = report.Options;
        var ladder = o.Algorithm == SearchAlgorithm.Bohb ? $" (fidelities {string.Join("→", o.Fidelities)} epochs, η = {o.Bohb.Eta})" : "";
        var title = $"{o.Algorithm.ToId()}{ladder} + {report.Proxy ?? "none"}: {report.Runs.Count} runs × {report.BudgetEpochs:N0} epochs ({o.Budget} 12-epoch trainings), {report.SpaceSize:N0} cells, seed {o.Seed}";
        var grid = new Table { Title = new TableTitle(Markup.Escape(title)) };
        grid.AddColumn("metric");
        grid.AddColumn(new TableColumn("mean ± std").RightAligned());
        foreach (var column in NasBench201SearchSimulation.ReportColumns)
        {
            grid.AddRow(column, Format(report.Summary(column)));
        }

        var signalLabel = o.Algorithm == SearchAlgorithm.Bohb ? "best signal (at the incumbent's fidelity)" : $"best {o.SignalColumn}";
        grid.AddRow(Markup.Escape(signalLabel), Format(report.BestSignal));
        grid.AddRow("trainings / run", report.TrainingsPerRun.ToString("F1", CultureInfo.InvariantCulture));
        grid.AddRow("epochs / run", report.EpochsPerRun.ToString("F1", CultureInfo.InvariantCulture));
        grid.AddRow("proxy calls / run", report.ProxyCallsPerRun.ToString("F1", CultureInfo.InvariantCulture));
        grid.AddRow("proxy seconds / run", report.ProxySecondsPerRun.ToString("F2", CultureInfo.InvariantCulture));
        console.Write(grid);
    }

    private static string Format(MeanStd value) => string.Create(CultureInfo.InvariantCulture, $"{value.Mean:F2} ± {value.Std:F2}");
}
