using System.CommandLine;
using System.Globalization;
using GradSign.Cli.Plots;
using GradSign.Cli.Studies;
using GradSign.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using GradSign.SearchSpaces.NasBench201;
using GradSign.SearchSpaces.NasBench101;

namespace GradSign.Cli.Commands;

/// <summary>
/// <c>gradsign correlate</c>: the correlation study. Scores a seeded sample of NAS-Bench-201 cells (or of the NAS-Bench-101
/// sample's distinct cells, <c>--space nb101</c>) with the chosen proxies,
/// appending one flushed CSV row per cell (so <c>--resume</c> continues a killed run), then prints Spearman ρ / Kendall τ
/// against the target with bootstrap intervals next to the published numbers.
/// </summary>
internal static class CorrelateCommand
{
    /// <summary>Exit code when the run was interrupted (Ctrl+C); the rows written so far are kept.</summary>
    public const int Interrupted = 130;

    private const string ProxiesCategory = "gradsign.proxies";

    public static Command Create()
    {
        var space = new Option<string>("--space") { DefaultValueFactory = _ => "nb201", Description = "Search space: nb201 (NAS-Bench-201's 15,625 cells) | nb101 (the 292 distinct cells of the NAS-Bench-101 sample; cifar10, val_accuracy_108)" };
        var dataset = new Option<string>("--dataset") { DefaultValueFactory = _ => "cifar10", Description = "cifar10 | cifar100 | imagenet16-120 (the last is a stand-in dataset, see docs); nb101: cifar10 only" };
        var proxies = new Option<string>("--proxies") { DefaultValueFactory = _ => "all", Description = "all, or a comma-separated list of proxy ids; ensembles (vote, logrank) add their members' columns and a summary line" };
        var sample = new Option<string>("--sample") { DefaultValueFactory = _ => "all", Description = "Number of cells to sample, or 'all' (15,625 for nb201, 292 for nb101)" };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 64, Description = "Images per batch (zero-cost-nas: 64)" };
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => 42UL, Description = "Seed of the sample, batches and weights" };
        var variant = new Option<string>("--variant") { DefaultValueFactory = _ => "zerocostnas", Description = "NB201 network: zerocostnas (NAS201Model) | official (TinyNetwork)" };
        var pipeline = new Option<string>("--pipeline") { DefaultValueFactory = _ => "zerocostnas", Description = "NB201 batches: zerocostnas (random augmented batch per cell) | naswot (one plain batch); nb101 always uses zerocostnas" };
        var target = new Option<string?>("--target") { Description = "Target column (default: cifar10valid_split_test, cifar100_test or imagenet16_test; nb101: val_accuracy_108, the only one)" };
        var output = new Option<string>("--out") { Required = true, Description = "Results CSV, one row per cell, appended as scored" };
        var resume = new Option<bool>("--resume") { Description = "Continue an existing --out file (a torn last line is dropped and rescored)" };
        var shard = new Option<string>("--shard") { DefaultValueFactory = _ => "0/1", Description = "Score shard i of n (0-based), e.g. $JOB_COMPLETION_INDEX/8" };
        var summary = new Option<string?>("--summary") { Description = "Also write the summary as JSON to this file (checked to be writable before scoring starts)" };
        var json = CommonOptions.Json();
        var plots = new Option<string?>("--plots") { Description = "Also draw the study's figures (PNG) into this folder" };
        var bootstrap = new Option<int>("--bootstrap") { DefaultValueFactory = _ => 1000, Description = "Bootstrap resamples for the 95% intervals" };
        var channels = new Option<int>("--channels") { DefaultValueFactory = _ => 16, Description = "NB201 channels C (16; smaller only for quick checks)" };
        var cells = new Option<int>("--cells") { DefaultValueFactory = _ => 5, Description = "NB201 cells per stage N (5; smaller only for quick checks)" };
        var stem = new Option<int?>("--stem") { Description = "NB101 stem channels (default 128; smaller only for quick checks)" };
        var stacks = new Option<int?>("--stacks") { Description = "NB101 stacks of cells (default 3)" };
        var cellsPerStack = new Option<int?>("--cells-per-stack") { Description = "NB101 cells per stack (default 3)" };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => -1, Description = "Backend threads (-1 = all cores)" };
        var data = CommonOptions.Data();
        var backend = BackendOption.Create();
        var command = new Command("correlate", "Correlation study: score NAS-Bench-201 (or NAS-Bench-101 sample) cells with zero-cost proxies and correlate with trained accuracy")
        {
            space, dataset, proxies, sample, batch, seed, variant, pipeline, target, output, resume, shard, summary, json, plots, bootstrap, channels, cells,
            stem, stacks, cellsPerStack, threads, data, backend,
        };
        command.SetAction(parse =>
        {
            var studySpace = StudyTables.Parse(parse.GetValue(space)!);
            var kind = DatasetKinds.Parse(parse.GetValue(dataset)!);
            Option[] otherSpace = studySpace == StudySpace.Nb101 ? [variant, pipeline, channels, cells] : [stem, stacks, cellsPerStack];
            if (otherSpace.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } stray)
            {
                throw new ArgumentException($"{stray.Name} applies to --space {(studySpace == StudySpace.Nb101 ? "nb201" : "nb101")} only.");
            }

            if (studySpace == StudySpace.Nb101 && kind != DatasetKind.Cifar10)
            {
                throw new ArgumentException($"--dataset {kind.ToId()}: --space nb101 has CIFAR-10 accuracies only.");
            }

            if (studySpace == StudySpace.Nb101 && parse.GetValue(target) is { } nb101Target && nb101Target != NasBench101StudyTable.Target)
            {
                throw new ArgumentException($"--target '{CliText.Clip(nb101Target)}': --space nb101 has {NasBench101StudyTable.Target} only.");
            }

            var batchSize = parse.GetValue(batch);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize, "--batch");
            var settings = new CorrelateSettings(
                kind,
                ParseProxies(parse.GetValue(proxies)!),
                ParseSample(parse.GetValue(sample)!),
                batchSize,
                parse.GetValue(seed),
                ParseVariant(parse.GetValue(variant)!),
                ParsePipeline(parse.GetValue(pipeline)!),
                parse.GetValue(target) ?? (studySpace == StudySpace.Nb101 ? NasBench101StudyTable.Target : NasBench201Columns.DefaultTarget(kind)),
                parse.GetValue(output)!,
                CliDataFolder.Resolve(parse.GetValue(data)))
            {
                Space = studySpace,
                Shard = ShardSpec.Parse(parse.GetValue(shard)!),
                Resume = parse.GetValue(resume),
                SummaryPath = parse.GetValue(summary),
                Json = parse.GetValue(json),
                PlotsFolder = parse.GetValue(plots),
                BootstrapSamples = NonNegative(parse.GetValue(bootstrap), "--bootstrap"),
                Channels = Positive(parse.GetValue(channels), "--channels"),
                CellsPerStage = Positive(parse.GetValue(cells), "--cells"),
                Stem = Positive(parse.GetValue(stem) ?? NasBench101NetworkOptions.Default.StemChannels, "--stem"),
                Stacks = Positive(parse.GetValue(stacks) ?? NasBench101NetworkOptions.Default.Stacks, "--stacks"),
                CellsPerStack = Positive(parse.GetValue(cellsPerStack) ?? NasBench101NetworkOptions.Default.CellsPerStack, "--cells-per-stack"),
                MaxDegreeOfParallelism = CommonOptions.Threads(parse.GetValue(threads), "--threads"),
            };
            CommonOptions.WithOptionNames(() =>
            {
                if (settings.Space == StudySpace.Nb101)
                {
                    settings.Nb101NetworkOptions().Validate();
                }
                else
                {
                    settings.NetworkOptions().Validate();
                }

                return settings;
            });
            OutputFiles.EnsureDistinct(("--out", settings.OutputPath), ("--summary", settings.SummaryPath));
            OutputFiles.EnsureWritable("--out", settings.OutputPath);
            if (settings.SummaryPath is { } summaryPath)
            {
                OutputFiles.EnsureWritable("--summary", summaryPath);
            }

            return Run(settings, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, BackendOption.Parse(parse.GetValue(backend)!)[0].Backend);
        });
        return command;
    }

    /// <summary>Runs a study with the console's progress display or logging, prints and saves the summary.</summary>
    /// <param name="settings">The study.</param>
    /// <param name="output">Summary destination (the progress bar is shown only when this is the interactive console).</param>
    /// <param name="error">Error messages.</param>
    /// <param name="backend">Backend; null = <see cref="StudyScorers.DefaultBackend"/>.</param>
    /// <param name="cancellationToken">Stops the run between cells (as Ctrl+C does).</param>
    /// <returns>0, or <see cref="Interrupted"/>.</returns>
    internal static int Run(CorrelateSettings settings, TextWriter output, TextWriter error, global::GradSign.Backends.ITensorBackend? backend = null, CancellationToken cancellationToken = default)
    {
        var onConsole = ReferenceEquals(output, Console.Out);
        // --json keeps standard output for the JSON alone: no progress bar there (progress is logged to stderr instead).
        var interactive = onConsole && !settings.Json && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        using var loggerFactory = onConsole && !interactive
            ? LoggerFactory.Create(b => b
                .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
                .AddFilter(level => level >= LogLevel.Information)
                .AddFilter(ProxiesCategory, LogLevel.Warning) // the runner logs every cell at Information
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace))
            : NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("gradsign.correlate");

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler? onCancel = null;
        if (onConsole)
        {
            onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
            Console.CancelKeyPress += onCancel;
        }

        try
        {
            var table = StudyTables.Load(settings.Space, settings.DataFolder, logger);
            backend ??= StudyScorers.DefaultBackend();
            var scorer = StudyScorers.Create(settings, backend, loggerFactory.CreateLogger(ProxiesCategory));
            var options = new StudyRunOptions(settings.OutputPath, settings.Target, settings.SampleSize, settings.Seed, settings.ToStudySettings(backend.Name))
            {
                Shard = settings.Shard,
                Resume = settings.Resume,
            };
            StudyRunResult result;
            if (interactive)
            {
                result = RunWithProgressBar(options, table, scorer, logger, cts.Token);
            }
            else
            {
                result = StudyRun.Execute(options, table, scorer, logger, null, cts.Token);
            }

            var report = StudySummary.Compute(result.Schema, result.Rows, table, settings.Dataset, settings.BootstrapSamples, settings.Seed, StudyScorers.Ensembles(settings.Proxies), cts.Token);
            StudySummary.Publish(report, output, settings.Json, settings.SummaryPath);

            if (settings.PlotsFolder is { } plotsFolder)
            {
                StudyPlots.Write(plotsFolder, $"{settings.SpaceId}-{settings.Dataset.ToId()}", result.Schema, result.Rows, report);
            }

            return 0;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            error.WriteLine($"gradsign: interrupted; the cells scored so far are in '{settings.OutputPath}' — rerun with --resume to continue.");
            return Interrupted;
        }
        finally
        {
            if (onCancel is not null)
            {
                Console.CancelKeyPress -= onCancel;
            }
        }
    }

    private static StudyRunResult RunWithProgressBar(StudyRunOptions options, IStudyTable table, ICellScorer scorer, ILogger logger, CancellationToken cancellationToken)
    {
        StudyRunResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("scoring", maxValue: 1);
                var progress = new InlineProgress(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"{p.Done}/{p.Total} cells, {p.CellsPerSecond:F2} cells/s, ETA {p.Eta:d\\.hh\\:mm\\:ss}");
                });
                result = StudyRun.Execute(options, table, scorer, logger, progress, cancellationToken);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    private static IReadOnlyList<string> ParseProxies(string text)
    {
        var ids = string.Equals(text.Trim(), "all", StringComparison.OrdinalIgnoreCase)
            ? StudyScorers.AllProxyIds()
            : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Count == 0)
        {
            throw new ArgumentException($"--proxies '{text}' names no proxy.");
        }

        return ids;
    }

    private static int? ParseSample(string text)
    {
        if (string.Equals(text.Trim(), "all", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"--sample '{text}' must be a positive number of cells or 'all'.");
    }

    private static Nb201Variant ParseVariant(string text) => text.Trim().ToLowerInvariant() switch
    {
        "zerocostnas" or "zero-cost-nas" or "zc" => Nb201Variant.ZeroCostNas,
        "official" or "tinynetwork" => Nb201Variant.Official,
        _ => throw new ArgumentException($"--variant '{text}' must be zerocostnas or official."),
    };

    private static BatchPipeline ParsePipeline(string text) => text.Trim().ToLowerInvariant() switch
    {
        "zerocostnas" or "zero-cost-nas" or "zc" => BatchPipeline.ZeroCostNas,
        "naswot" => BatchPipeline.Naswot,
        _ => throw new ArgumentException($"--pipeline '{text}' must be zerocostnas or naswot."),
    };

    private static int Positive(int value, string name)
        => value > 0 ? value : throw new ArgumentException($"{name} {value} must be positive.");

    private static int NonNegative(int value, string name)
        => value >= 0 ? value : throw new ArgumentException($"{name} {value} must not be negative.");

    /// <summary>Reports on the calling thread (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class InlineProgress(Action<StudyProgress> report) : IProgress<StudyProgress>
    {
        public void Report(StudyProgress value) => report(value);
    }
}
