using System.Globalization;
using GradSign.Cli.Results;
using GradSign.Cli.Studies;
using GradSign.Statistics;
using ScottPlot;

namespace GradSign.Cli.Plots;

/// <summary>
/// The figures of a correlation study, as small PNGs: per proxy a score-vs-accuracy scatter (score on a log axis when it
/// is positive and spans more than three decades) and a rank-vs-rank scatter, and one bar chart of every proxy's
/// Spearman ρ with its bootstrap interval beside the published |ρ| (where there is one).
/// </summary>
internal static class StudyPlots
{
    /// <summary>Width and height of every figure, in pixels.</summary>
    private const int Width = 520;
    private const int Height = 400;

    /// <summary>Writes the figures of a study into <paramref name="folder"/> (created when missing).</summary>
    /// <param name="folder">Output folder.</param>
    /// <param name="name">Prefix of the file names, e.g. <c>nb201-cifar10</c>.</param>
    /// <param name="schema">Columns of the results.</param>
    /// <param name="rows">The scored cells.</param>
    /// <param name="report">The study's summary (ρ, intervals, published |ρ|).</param>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Write(string folder, string name, StudyResultsSchema schema, IReadOnlyList<StudyRow> rows, StudySummaryReport report)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        var target = rows.Select(r => r.Target).ToArray();
        for (var p = 0; p < schema.Proxies.Count; p++)
        {
            var id = schema.Proxies[p];
            var scores = rows.Select(r => r.Scores[p]).ToArray();
            var line = report.Proxies.FirstOrDefault(l => l.ProxyId == id);
            files.Add(Scatter(Path.Combine(folder, $"{name}-{id}-scatter.png"), id, scores, target, report.Target, line));
            files.Add(Ranks(Path.Combine(folder, $"{name}-{id}-ranks.png"), id, scores, target, report.Target));
        }

        files.Add(RhoBars(Path.Combine(folder, $"{name}-spearman.png"), report));
        return files;
    }

    private static string Scatter(string file, string proxy, double[] scores, double[] target, string targetName, ProxySummary? line)
    {
        var (xs, ys) = Finite(scores, target);
        // A log axis when the positive scores span more than three decades (SynFlow's do; dead cells score 0 and are
        // left out of that view, and counted in the label).
        var positive = Enumerable.Range(0, xs.Length).Where(i => xs[i] > 0).ToArray();
        var logScale = positive.Length >= 0.5 * xs.Length && positive.Length > 1
            && positive.Max(i => xs[i]) / positive.Min(i => xs[i]) > 1e3;
        var plot = new Plot();
        var points = logScale
            ? plot.Add.ScatterPoints(positive.Select(i => Math.Log10(xs[i])).ToArray(), positive.Select(i => ys[i]).ToArray())
            : plot.Add.ScatterPoints(xs, ys);
        points.MarkerSize = 2;
        plot.Title(line is null ? proxy : string.Create(CultureInfo.InvariantCulture, $"{proxy}: Spearman ρ {line.Spearman:0.000}, n {line.N:N0}"));
        plot.XLabel(logScale
            ? $"log10 {proxy} score" + (positive.Length < xs.Length ? $" ({xs.Length - positive.Length} cells ≤ 0 not shown)" : string.Empty)
            : $"{proxy} score");
        plot.YLabel($"{targetName} (%)");
        plot.SavePng(file, Width, Height);
        return file;
    }

    private static string Ranks(string file, string proxy, double[] scores, double[] target, string targetName)
    {
        var (xs, ys) = Finite(scores, target);
        var plot = new Plot();
        var points = plot.Add.ScatterPoints(RankCorrelation.Rank(xs), RankCorrelation.Rank(ys));
        points.MarkerSize = 2;
        plot.Title($"{proxy}: rank against rank");
        plot.XLabel($"rank of {proxy} score");
        plot.YLabel($"rank of {targetName}");
        plot.SavePng(file, Width, Height);
        return file;
    }

    private static string RhoBars(string file, StudySummaryReport report)
    {
        var plot = new Plot();
        var lines = report.Proxies;
        for (var i = 0; i < lines.Count; i++)
        {
            var rho = Math.Abs(lines[i].Spearman);
            plot.Add.Bar(position: i, value: rho);
            if (double.IsFinite(lines[i].SpearmanCi.Lo))
            {
                // |ρ|'s interval: the interval of ρ, mirrored when ρ is negative.
                var (lo, hi) = lines[i].Spearman >= 0 ? lines[i].SpearmanCi : (-lines[i].SpearmanCi.Hi, -lines[i].SpearmanCi.Lo);
                var errorBar = plot.Add.ErrorBar([(double)i], [(lo + hi) / 2], [(hi - lo) / 2]);
                errorBar.Color = Colors.Black;
            }

            if (lines[i].PublishedAbsSpearman is { } published)
            {
                var marker = plot.Add.Marker(i, published, MarkerShape.FilledDiamond, 9);
                marker.Color = Colors.OrangeRed;
            }
        }

        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, lines.Count).Select(i => (double)i)], [.. lines.Select(l => l.ProxyId)]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        // Labels at −45° take about 0.75 of their length in height (ensemble names such as vote(a+b+c) are long).
        var labelHeight = Math.Max(80, 20 + (int)(5.5 * lines.Max(l => l.ProxyId.Length)));
        plot.Axes.Bottom.MinimumSize = labelHeight;
        plot.Axes.Margins(bottom: 0);
        // The diamond's legend only when something is published (nothing is for the NAS-Bench-101 sample).
        var legend = lines.Any(l => l.PublishedAbsSpearman is not null) ? "; ◆ published" : string.Empty;
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"|Spearman ρ| against {report.Target} (n {report.N:N0}){legend}"));
        plot.YLabel("|ρ| with 95 % bootstrap interval");
        plot.SavePng(file, Width + 120, Height + labelHeight - 80);
        return file;
    }

    /// <summary>The pairs where both values are finite.</summary>
    private static (double[] X, double[] Y) Finite(double[] x, double[] y)
    {
        var keep = Enumerable.Range(0, x.Length).Where(i => double.IsFinite(x[i]) && double.IsFinite(y[i])).ToArray();
        return ([.. keep.Select(i => x[i])], [.. keep.Select(i => y[i])]);
    }
}
