using System.Globalization;
using System.Text.Json;
using GradSign.Data;
using GradSign.Internal;
using Spectre.Console;

namespace GradSign.Benchmarks.Studies;

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
/// <param name="ZcSpearman">Spearman ρ of that published score against the target on the same cells (its NaNs omitted).</param>
/// <param name="ZcAgreement">Spearman ρ between our score and the published score on the same cells.</param>
internal sealed record ProxySummary(
    string ProxyId, int N, double Spearman, double Kendall, (double Lo, double Hi) SpearmanCi, (double Lo, double Hi) KendallCi,
    double MeanSeconds, double? PublishedAbsSpearman, string? ZcColumn, double? ZcSpearman, double? ZcAgreement);

/// <summary>A study's summary: one line per proxy.</summary>
/// <param name="Target">Target column.</param>
/// <param name="Dataset">Dataset.</param>
/// <param name="N">Rows summarised.</param>
/// <param name="BootstrapSamples">Bootstrap resamples behind the intervals.</param>
/// <param name="Proxies">Per proxy, in column order.</param>
internal sealed record StudySummaryReport(string Target, DatasetKind Dataset, int N, int BootstrapSamples, IReadOnlyList<ProxySummary> Proxies);

/// <summary>Computes, prints and saves the summary of a results file.</summary>
internal static class StudySummary
{
    /// <summary>Summarises rows against their target column.</summary>
    /// <param name="schema">Columns.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="table">Benchmark table (for the published <c>zc_*</c> scores of the same cells).</param>
    /// <param name="dataset">Dataset (selects the published numbers).</param>
    /// <param name="bootstrapSamples">Resamples for the intervals (0 = no intervals, NaN).</param>
    /// <param name="seed">Bootstrap seed.</param>
    /// <param name="cancellationToken">Checked between proxies and resamples.</param>
    /// <returns>The report.</returns>
    public static StudySummaryReport Compute(
        StudyResultsSchema schema, IReadOnlyList<StudyRow> rows, NasBench201Table table, DatasetKind dataset, int bootstrapSamples, ulong seed,
        CancellationToken cancellationToken = default)
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
            var (x, y) = Paired(score, target);
            var spearman = StudyStatistics.Spearman(x, y);
            var kendall = StudyStatistics.Kendall(x, y);
            // The same resample indices for both statistics and for every proxy: intervals stay comparable.
            var spearmanCi = Bootstrap(x, y, StudyStatistics.Spearman, bootstrapSamples, seed, cancellationToken);
            var kendallCi = Bootstrap(x, y, StudyStatistics.Kendall, bootstrapSamples, seed, cancellationToken);
            var meanSeconds = rows.Count > 0 ? rows.Average(r => r.Seconds[p]) : double.NaN;

            var zcColumn = PublishedCorrelations.SuiteZeroColumn(dataset, id);
            double? zcSpearman = null, zcAgreement = null;
            if (zcColumn is not null && table.HasColumn(zcColumn))
            {
                var zc = rows.Select(r => table.GetByIndex(r.Index)[zcColumn]).ToArray();
                var (zx, zy) = Paired(zc, target);
                zcSpearman = StudyStatistics.Spearman(zx, zy);
                var (ax, ay) = Paired(score, zc);
                zcAgreement = StudyStatistics.Spearman(ax, ay);
            }
            else
            {
                zcColumn = null;
            }

            lines.Add(new ProxySummary(id, x.Length, spearman, kendall, spearmanCi, kendallCi, meanSeconds,
                PublishedCorrelations.AbsSpearman(dataset, id), zcColumn, zcSpearman, zcAgreement));
        }

        return new StudySummaryReport(schema.Target, dataset, rows.Count, bootstrapSamples, lines);
    }

    /// <summary>The pairs where neither value is NaN (scipy <c>nan_policy='omit'</c>, as zero-cost-nas's notebooks use).</summary>
    internal static (double[] X, double[] Y) Paired(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var xs = new List<double>(x.Count);
        var ys = new List<double>(x.Count);
        for (var i = 0; i < x.Count; i++)
        {
            if (!double.IsNaN(x[i]) && !double.IsNaN(y[i]))
            {
                xs.Add(x[i]);
                ys.Add(y[i]);
            }
        }

        return ([.. xs], [.. ys]);
    }

    /// <summary>95 % percentile bootstrap over cells (pairs resampled with replacement), seeded.</summary>
    internal static (double Lo, double Hi) Bootstrap(double[] x, double[] y, Func<double[], double[], double> statistic, int samples, ulong seed, CancellationToken cancellationToken)
    {
        if (samples == 0 || x.Length < 3)
        {
            return (double.NaN, double.NaN);
        }

        var rng = new SplitMix64(seed ^ 0xB007_5712_A9UL);
        var values = new List<double>(samples);
        var bx = new double[x.Length];
        var by = new double[x.Length];
        for (var s = 0; s < samples; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < x.Length; i++)
            {
                var j = rng.NextInt(x.Length);
                bx[i] = x[j];
                by[i] = y[j];
            }

            var v = statistic(bx, by);
            if (!double.IsNaN(v))
            {
                values.Add(v);
            }
        }

        if (values.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        values.Sort();
        return (StudyStatistics.Quantile(values, 0.025), StudyStatistics.Quantile(values, 0.975));
    }

    /// <summary>Prints the summary as a Markdown table (Spectre.Console's Markdown border) to <paramref name="output"/>.</summary>
    public static void WriteMarkdown(StudySummaryReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 240;
        var table = new Table().Border(TableBorder.Markdown);
        foreach (var header in new[] { "proxy", "n", "Spearman ρ", "95% CI", "Kendall τ", "95% CI", "s/cell", "published |ρ|", "zc_* ρ", "ρ(ours, zc_*)" })
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)));
        }

        foreach (var p in report.Proxies)
        {
            table.AddRow(
                Markup.Escape(p.ProxyId), p.N.ToString(CultureInfo.InvariantCulture), F(p.Spearman), Ci(p.SpearmanCi), F(p.Kendall), Ci(p.KendallCi),
                p.MeanSeconds.ToString("0.###", CultureInfo.InvariantCulture), F(p.PublishedAbsSpearman), F(p.ZcSpearman), F(p.ZcAgreement));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Target {report.Target} ({report.Dataset.ToId()}), {report.N} cells, {report.BootstrapSamples} bootstrap resamples"));
        console.Write(table);
        output.WriteLine();
    }

    /// <summary>
    /// Writes <c>{"target":…,"dataset":…,"n":…,"bootstrap":…,"proxies":{"id":{"spearman":…,"kendall":…,"spearman_ci":[lo,hi],
    /// "kendall_ci":[lo,hi],"mean_seconds":…,"published_abs_spearman":…,"zc_column":…,"zc_spearman":…,"zc_agreement_spearman":…,"n":…}}}</c>;
    /// NaN and missing values are <c>null</c>.
    /// </summary>
    public static void WriteJson(StudySummaryReport report, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(stream);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("target", report.Target);
        json.WriteString("dataset", report.Dataset.ToId());
        json.WriteNumber("n", report.N);
        json.WriteNumber("bootstrap", report.BootstrapSamples);
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

            Number(json, "zc_spearman", p.ZcSpearman);
            Number(json, "zc_agreement_spearman", p.ZcAgreement);
            json.WriteNumber("n", p.N);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Pair(Utf8JsonWriter json, string name, (double Lo, double Hi) pair)
    {
        json.WriteStartArray(name);
        foreach (var v in new[] { pair.Lo, pair.Hi })
        {
            if (double.IsFinite(v))
            {
                json.WriteNumberValue(v);
            }
            else
            {
                json.WriteNullValue();
            }
        }

        json.WriteEndArray();
    }

    private static string F(double? value) => value is { } v && !double.IsNaN(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    private static string Ci((double Lo, double Hi) ci) => double.IsNaN(ci.Lo) ? "–" : $"[{F(ci.Lo)}, {F(ci.Hi)}]";
}
