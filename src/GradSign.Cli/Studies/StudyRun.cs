using System.Diagnostics;
using GradSign.Cli.Results;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradSign.Cli.Studies;

/// <summary>Where and what a study run writes. Immutable.</summary>
/// <param name="OutputPath">Results CSV, appended row by row.</param>
/// <param name="Target">Target accuracy column of the benchmark table.</param>
/// <param name="SampleSize">Cells to sample; null = all.</param>
/// <param name="Seed">Seed of the sample (and, through the scorer, of batches and weights).</param>
/// <param name="Settings">Every setting that changes the scores, recorded in the file and checked on resume.</param>
internal sealed record StudyRunOptions(string OutputPath, string Target, int? SampleSize, ulong Seed, StudySettings Settings)
{
    /// <summary>Which part of the sample this process scores.</summary>
    public ShardSpec Shard { get; init; } = ShardSpec.All;

    /// <summary>Continue an existing output file instead of refusing to touch it.</summary>
    public bool Resume { get; init; }
}

/// <summary>Progress after each scored cell.</summary>
/// <param name="Done">Cells of this shard in the file (including resumed ones).</param>
/// <param name="Total">Cells of this shard.</param>
/// <param name="ScoredThisRun">Cells scored by this process.</param>
/// <param name="Elapsed">Time since this process started scoring.</param>
/// <param name="LastIndex">The cell just scored.</param>
internal sealed record StudyProgress(int Done, int Total, int ScoredThisRun, TimeSpan Elapsed, int LastIndex)
{
    /// <summary>Cells per second in this process.</summary>
    public double CellsPerSecond => Elapsed.TotalSeconds > 0 ? ScoredThisRun / Elapsed.TotalSeconds : 0;

    /// <summary>Estimated time to finish the shard, or null before the first cell.</summary>
    public TimeSpan? Eta => CellsPerSecond > 0 ? TimeSpan.FromSeconds((Total - Done) / CellsPerSecond) : null;
}

/// <summary>What a run left in its output file.</summary>
/// <param name="Schema">Columns.</param>
/// <param name="Rows">Every row of the file (resumed and new), in file order.</param>
/// <param name="Resumed">Rows found from an earlier run.</param>
/// <param name="Scored">Rows scored by this run.</param>
internal sealed record StudyRunResult(StudyResultsSchema Schema, IReadOnlyList<StudyRow> Rows, int Resumed, int Scored);

/// <summary>
/// The correlation study's scoring loop: picks the (sharded) sample, skips cells already in the output file, scores the
/// rest in index order and appends each row as soon as it is scored.
/// </summary>
internal static class StudyRun
{
    /// <summary>Runs (or resumes) a study.</summary>
    /// <param name="options">Output, target, sample, seed, shard, resume.</param>
    /// <param name="table">The benchmark's cells and target accuracies.</param>
    /// <param name="scorer">Scores a cell.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="progress">Reported after every cell.</param>
    /// <param name="cancellationToken">Checked between cells; rows written so far stay in the file.</param>
    /// <returns>The file's rows.</returns>
    /// <exception cref="ArgumentException">Unknown target column, or the output exists without <c>--resume</c>.</exception>
    /// <exception cref="InvalidDataException">The existing output has other settings or columns, cells outside this
    /// sample/shard, or a row whose arch or target differs from the table's.</exception>
    /// <exception cref="IOException">Another process is writing the output.</exception>
    public static StudyRunResult Execute(
        StudyRunOptions options,
        IStudyTable table,
        ICellScorer scorer,
        ILogger? logger = null,
        IProgress<StudyProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(scorer);
        logger ??= NullLogger.Instance;
        StudyTables.RequireTarget(table, options.Target, nameof(options));

        if (!options.Resume && File.Exists(options.OutputPath) && new FileInfo(options.OutputPath).Length > 0)
        {
            throw new ArgumentException($"--out '{options.OutputPath}' already exists; pass --resume to continue it or choose another file.", nameof(options));
        }

        var sample = StudySample.Select([.. Enumerable.Range(0, table.Count)], options.SampleSize, options.Seed);
        var cells = options.Shard.Select(sample);
        var schema = new StudyResultsSchema(scorer.ProxyIds, options.Target);
        var created = !File.Exists(options.OutputPath) || new FileInfo(options.OutputPath).Length == 0;
        var writer = StudyResultsWriter.OpenForAppend(options.OutputPath, options.Settings, schema, out var existing, logger);
        try
        {
            return ScoreCells(options, table, scorer, writer, existing, cells, logger, progress, cancellationToken);
        }
        catch when (created && writer.RowsAppended == 0)
        {
            // A run that fails before its first row leaves no header-only file behind, so the next run needs no --resume.
            writer.Dispose();
            TryDelete(options.OutputPath);
            throw;
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static StudyRunResult ScoreCells(
        StudyRunOptions options,
        IStudyTable table,
        ICellScorer scorer,
        StudyResultsWriter writer,
        IReadOnlyList<StudyRow> existing,
        IReadOnlyList<int> cells,
        ILogger logger,
        IProgress<StudyProgress>? progress,
        CancellationToken cancellationToken)
    {
        var schema = writer.Schema;
        var wanted = cells.ToHashSet();
        var done = new HashSet<int>();
        foreach (var row in existing)
        {
            if (!wanted.Contains(row.Index))
            {
                throw new InvalidDataException(
                    $"'{options.OutputPath}' holds cell {row.Index}, which is not in this run's sample (--sample {options.SampleSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all"} --seed {options.Seed} --shard {options.Shard}); resume with the original settings.");
            }

            if (!done.Add(row.Index))
            {
                throw new InvalidDataException($"'{options.OutputPath}' holds cell {row.Index} twice.");
            }

            CheckAgainstTable(row, table, options);
        }

        var rows = new List<StudyRow>(existing);
        var todo = cells.Where(c => !done.Contains(c)).ToList();
        StudyRunLog.Started(logger, cells.Count, options.Shard.ToString(), existing.Count, todo.Count, options.OutputPath);
        var clock = Stopwatch.StartNew();
        var scored = 0;
        foreach (var index in todo)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var arch = table.Arch(index);
            var scores = scorer.Score(index, arch, cancellationToken);
            var row = new StudyRow(index, arch, scores.Values, table.Value(index, options.Target), scores.Seconds);
            writer.Append(row);
            rows.Add(row);
            scored++;
            var report = new StudyProgress(existing.Count + scored, cells.Count, scored, clock.Elapsed, index);
            StudyRunLog.CellScored(logger, index, report.Done, report.Total, report.CellsPerSecond, report.Eta?.ToString(@"d\.hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) ?? "?");
            progress?.Report(report);
        }

        StudyRunLog.Finished(logger, scored, clock.Elapsed.TotalSeconds, options.OutputPath);
        return new StudyRunResult(schema, rows, existing.Count, scored);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The run's own error matters more than a leftover empty file.
        }
    }

    /// <summary>A resumed row must be the table's cell with the table's target: an edited arch or accuracy would
    /// silently change the correlation.</summary>
    private static void CheckAgainstTable(StudyRow row, IStudyTable table, StudyRunOptions options)
    {
        var arch = table.Arch(row.Index);
        if (!string.Equals(arch, row.Arch, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{options.OutputPath}': cell {row.Index} has arch '{CliText.Clip(row.Arch)}', but the table has '{arch}'.");
        }

        var target = table.Value(row.Index, options.Target);
        if (!target.Equals(row.Target))
        {
            throw new InvalidDataException($"'{options.OutputPath}': cell {row.Index} has {options.Target} {row.Target.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, but the table has {target.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}.");
        }
    }
}
