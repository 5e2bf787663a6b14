using System.Globalization;
using System.Text.Json;
using GradSign.Cli.Results;
using GradSign.Data;
using GradSign.Proxies;
using Spectre.Console;

namespace GradSign.Cli.Studies;

/// <summary>One proxy's line of a study summary. Correlations are signed (the published table reports |ρ|).</summary>
/// <param name="ProxyId">Proxy.</param>
/// <param name="N">Cells with a finite-or-infinite score and a target (NaN pairs omitted, as scipy's <c>nan_policy='omit'</c>).</param>
/// <param name="Spearman">Spearman ρ against the target.</param>
/// <param name="Kendall">Kendall τ-b against the target.</param>
/// <param name="SpearmanCi">95 % percentile-bootstrap interval of ρ.</param>
/// <param name="KendallCi">95 % percentile-bootstrap interval of τ.</param>
/// <param name="MeanSeconds">Mean wall time per cell.</param>
/// <param name="PublishedAbsSpearman">zero-cost-nas's |ρ| on all 15,625 cells, when published.</param>
/// <param name="ZcColumn">The NAS-Bench-Suite-Zero column compared, when there is one.</param>
/// <param name="SpearmanOnZcCells">Our Spearman ρ against the target on only the cells that have a published score, the
/// cells <paramref name="ZcSpearman"/> covers (NAS-Bench-Suite-Zero has none for NAS-Bench-201's cells with a dead edge).</param>
/// <param name="ZcSpearman">Spearman ρ of that published score against the target on the same rows (its NaNs omitted).</param>
/// <param name="ZcAgreement">Spearman ρ between our score and the published score on the same rows.</param>
internal sealed record ProxySummary(
    string ProxyId, int N, double Spearman, double Kendall, (double Lo, double Hi) SpearmanCi, (double Lo, double Hi) KendallCi,
    double MeanSeconds, double? PublishedAbsSpearman, string? ZcColumn, double? SpearmanOnZcCells, double? ZcSpearman, double? ZcAgreement)
{
    /// <summary>For an ensemble: its members (whose columns it aggregates); null for a single proxy.</summary>
    public IReadOnlyList<string>? Members { get; init; }

    /// <summary>For an ensemble: how the members' ranks are combined.</summary>
    public string? Aggregation { get; init; }
}

/// <summary>A study's summary: one line per proxy.</summary>
/// <param name="Space">Search space id (<c>nb201</c>, <c>nb101</c>).</param>
/// <param name="Target">Target column.</param>
/// <param name="Dataset">Dataset.</param>
/// <param name="N">Rows summarised.</param>
/// <param name="BootstrapSamples">Bootstrap resamples behind the intervals.</param>
/// <param name="Proxies">Per proxy, in column order.</param>
internal sealed record StudySummaryReport(string Space, string Target, DatasetKind Dataset, int N, int BootstrapSamples, IReadOnlyList<ProxySummary> Proxies);

/// <summary>Computes, prints and saves the summary of a results file.</summary>
internal static class StudySummary
{
    /// <summary>Summarises rows against their target column.</summary>
    /// <param name="schema">Columns.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="table">The benchmark's cells (for the published <c>zc_*</c> scores of the same cells and the published |ρ|).</param>
    /// <param name="dataset">Dataset (selects the published numbers).</param>
    /// <param name="bootstrapSamples">Resamples for the intervals (0 = no intervals, NaN).</param>
    /// <param name="seed">Bootstrap seed.</param>
    /// <param name="ensembles">Ensembles whose lines follow the columns': each aggregates its members' columns over the rows
    /// (<see cref="ProxyEnsemble.Aggregate"/>; a row with a NaN member is left out). Null or empty: none.</param>
    /// <param name="cancellationToken">Checked between proxies and resamples.</param>
    /// <returns>The report.</returns>
    /// <exception cref="InvalidDataException">An ensemble's member has no column.</exception>
    public static StudySummaryReport Compute(
        StudyResultsSchema schema, IReadOnlyList<StudyRow> rows, IStudyTable table, DatasetKind dataset, int bootstrapSamples, ulong seed,
        IReadOnlyList<ProxyEnsemble>? ensembles = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfNegative(bootstrapSamples);
        var target = rows.Select(r => r.Target).ToArray();
        var lines = new List<ProxySummary>(schema.Proxies.Count);
        for (var p = 0; p < schema.Proxies.Count; p++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = schema.Proxies[p];
            var score = rows.Select(r => r.Scores[p]).ToArray();
            var pairs = score.Zip(target).Count(t => !double.IsNaN(t.First) && !double.IsNaN(t.Second));
            var meanSeconds = rows.Count > 0 ? rows.Average(r => r.Seconds[p]) : double.NaN;

            var zcColumn = table.PublishedScoreColumn(dataset, id);
            double? onZcCells = null, zcSpearman = null, zcAgreement = null;
            if (zcColumn is not null)
            {
                var zc = rows.Select(r => table.Value(r.Index, zcColumn)).ToArray();
                var scoreWhereZc = score.Zip(zc, (s, z) => double.IsNaN(z) ? double.NaN : s).ToArray();
                onZcCells = StudyStatistics.Spearman(scoreWhereZc, target);
                zcSpearman = StudyStatistics.Spearman(zc, target);
                zcAgreement = StudyStatistics.Spearman(score, zc);
            }

            // Every proxy's intervals use the same bootstrap seed, hence the same resampled cells: comparable intervals.
            lines.Add(new ProxySummary(
                id,
                pairs,
                StudyStatistics.Spearman(score, target),
                StudyStatistics.Kendall(score, target),
                StudyStatistics.SpearmanInterval(score, target, bootstrapSamples, seed, cancellationToken),
                StudyStatistics.KendallInterval(score, target, bootstrapSamples, seed, cancellationToken),
                meanSeconds,
                table.PublishedAbsSpearman(dataset, id),
                zcColumn,
                onZcCells,
                zcSpearman,
                zcAgreement));
        }

        foreach (var ensemble in ensembles ?? [])
        {
            cancellationToken.ThrowIfCancellationRequested();
            var columns = ensemble.Members.Select(m => schema.Proxies.ToList().IndexOf(m.Id)).ToArray();
            if (columns.Any(c => c < 0))
            {
                throw new InvalidDataException($"Ensemble '{ensemble.Id}' needs the columns {string.Join(", ", ensemble.Members.Select(m => m.Id))}; the results have {string.Join(", ", schema.Proxies)}.");
            }

            var score = ensemble.Aggregate([.. columns.Select(c => rows.Select(r => r.Scores[c]).ToArray())]);
            lines.Add(new ProxySummary(
                ensemble.Id,
                score.Zip(target).Count(t => !double.IsNaN(t.First) && !double.IsNaN(t.Second)),
                StudyStatistics.Spearman(score, target),
                StudyStatistics.Kendall(score, target),
                StudyStatistics.SpearmanInterval(score, target, bootstrapSamples, seed, cancellationToken),
                StudyStatistics.KendallInterval(score, target, bootstrapSamples, seed, cancellationToken),
                columns.Sum(c => rows.Count > 0 ? rows.Average(r => r.Seconds[c]) : double.NaN),
                null,
                null,
                null,
                null,
                null)
            {
                Members = [.. ensemble.Members.Select(m => m.Id)],
                Aggregation = ensemble.Aggregation == GradSign.Statistics.RankAggregationMethod.MeanRank ? "mean rank" : "Σ log(rank/n)",
            });
        }

        return new StudySummaryReport(table.Space, schema.Target, dataset, rows.Count, bootstrapSamples, lines);
    }

    /// <summary>What <c>correlate</c> and <c>plots</c> do with a summary: print it (JSON or Markdown) and, when asked, save it as JSON.</summary>
    /// <param name="report">The summary.</param>
    /// <param name="output">Where it is printed.</param>
    /// <param name="json">Print JSON rather than Markdown.</param>
    /// <param name="summaryPath">A file for the JSON, or null.</param>
    public static void Publish(StudySummaryReport report, TextWriter output, bool json, string? summaryPath)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (json)
        {
            using var buffer = new MemoryStream();
            WriteJson(report, buffer);
            output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }
        else
        {
            WriteMarkdown(report, output);
        }

        if (summaryPath is not null)
        {
            using var stream = File.Create(summaryPath);
            WriteJson(report, stream);
        }
    }

    /// <summary>Prints the summary as a Markdown table (Spectre.Console's Markdown border) to <paramref name="output"/>.</summary>
    public static void WriteMarkdown(StudySummaryReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        using var rendered = new StringWriter(CultureInfo.InvariantCulture);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(rendered),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 240;
        var table = new Table().Border(TableBorder.Markdown);
        // "\|" is a literal pipe inside a Markdown table cell; a bare "|ρ|" would split the header into 12 cells.
        foreach (var header in new[] { "proxy", "n", "Spearman ρ", "95% CI", "Kendall τ", "95% CI", "s/cell", "published \\|ρ\\|", "ρ on zc_* cells", "zc_* ρ", "ρ(ours, zc_*)" })
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)));
        }

        foreach (var p in report.Proxies)
        {
            // Plain Text cells: interval brackets like "[0.1, 0.2]" must not be parsed as Spectre markup.
            string[] cells =
            [
                p.ProxyId, p.N.ToString(CultureInfo.InvariantCulture), F(p.Spearman), Ci(p.SpearmanCi), F(p.Kendall), Ci(p.KendallCi),
                p.MeanSeconds.ToString("0.###", CultureInfo.InvariantCulture), F(p.PublishedAbsSpearman), F(p.SpearmanOnZcCells), F(p.ZcSpearman),
                F(p.ZcAgreement),
            ];
            table.AddRow(cells.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c)));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{report.Space} {report.Dataset.ToId()}: target {report.Target}, {report.N} cells, {report.BootstrapSamples} bootstrap resamples"));
        if (StandInNote(report.Dataset) is { } note)
        {
            output.WriteLine(note);
        }
        console.Write(table);
        // Spectre pads the Markdown border's blank top/bottom rows with spaces; print only the table's lines.
        foreach (var line in rendered.ToString().Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0))
        {
            output.WriteLine(line);
        }

        foreach (var p in report.Proxies.Where(p => p.Members is not null))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.ProxyId}: {p.Aggregation} of {string.Join(", ", p.Members!)} over the {p.N} cells without a NaN member; s/cell is the members' total."));
        }
    }

    /// <summary>
    /// Writes <c>{"space":…,"target":…,"dataset":…,"n":…,"bootstrap":…,"proxies":{"id":{"spearman":…,"kendall":…,"spearman_ci":[lo,hi],
    /// "kendall_ci":[lo,hi],"mean_seconds":…,"published_abs_spearman":…,"zc_column":…,"spearman_on_zc_cells":…,"zc_spearman":…,"zc_agreement_spearman":…,"n":…}}}</c>;
    /// an undefined number is <c>"NaN"</c> (an infinity <c>"Infinity"</c>), a value that does not exist (nothing published,
    /// no <c>zc_*</c> column) is <c>null</c> — see <see cref="Commands.CliJson"/>.
    /// </summary>
    public static void WriteJson(StudySummaryReport report, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(stream);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("space", report.Space);
        json.WriteString("target", report.Target);
        json.WriteString("dataset", report.Dataset.ToId());
        json.WriteNumber("n", report.N);
        json.WriteNumber("bootstrap", report.BootstrapSamples);
        if (StandInNote(report.Dataset) is { } note)
        {
            json.WriteString("note", note);
        }
        json.WriteStartObject("proxies");
        foreach (var p in report.Proxies)
        {
            json.WriteStartObject(p.ProxyId);
            Number(json, "spearman", p.Spearman);
            Number(json, "kendall", p.Kendall);
            Pair(json, "spearman_ci", p.SpearmanCi);
            Pair(json, "kendall_ci", p.KendallCi);
            Number(json, "mean_seconds", p.MeanSeconds);
            Number(json, "published_abs_spearman", p.PublishedAbsSpearman);
            if (p.ZcColumn is null)
            {
                json.WriteNull("zc_column");
            }
            else
            {
                json.WriteString("zc_column", p.ZcColumn);
            }

            Number(json, "spearman_on_zc_cells", p.SpearmanOnZcCells);
            Number(json, "zc_spearman", p.ZcSpearman);
            Number(json, "zc_agreement_spearman", p.ZcAgreement);
            json.WriteNumber("n", p.N);
            if (p.Members is not null)
            {
                json.WriteString("aggregation", p.Aggregation);
                json.WriteStartArray("members");
                foreach (var m in p.Members)
                {
                    json.WriteStringValue(m);
                }

                json.WriteEndArray();
            }
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The caveat printed with every ImageNet16-120 summary (its images are a stand-in, see <see cref="DatasetKind.ImageNet16"/>).</summary>
    internal static string? StandInNote(DatasetKind dataset) => dataset == DatasetKind.ImageNet16
        ? "Batches come from the ImageNet16-120 STAND-IN images (real ImageNet photos at 16x16, mostly 14 classes): these correlations are approximations."
        : null;

    private static void Number(Utf8JsonWriter json, string name, double? value) => Commands.CliJson.WriteNumber(json, name, value);

    private static void Pair(Utf8JsonWriter json, string name, (double Lo, double Hi) pair)
    {
        json.WriteStartArray(name);
        foreach (var v in new[] { pair.Lo, pair.Hi })
        {
            Commands.CliJson.WriteNumberValue(json, v);
        }

        json.WriteEndArray();
    }

    private static string F(double? value) => value is { } v && !double.IsNaN(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    private static string Ci((double Lo, double Hi) ci) => double.IsNaN(ci.Lo) ? "–" : $"[{F(ci.Lo)}, {F(ci.Hi)}]";
}
