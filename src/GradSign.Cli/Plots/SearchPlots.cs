using System.Globalization;
using GradSign.Cli.Search;
using GradSign.Search;
using ScottPlot;

namespace GradSign.Cli.Plots;

/// <summary>
/// The figures of a <c>gradsign search --plots</c> invocation, as small PNGs: for each reported 200-epoch test column and
/// for the search signal, the incumbent's value against the budget spent, one curve per search run in the invocation
/// (algorithm × proxy): the mean over runs, with a band of ± one sample standard deviation. The vertical axis spans the
/// bands from a tenth of the budget on, so the first trainings' wider spread runs off the frame.
/// </summary>
internal static class SearchPlots
{
    /// <summary>Width and height of every figure, in pixels.</summary>
    private const int Width = 800;
    private const int Height = 500;

    /// <summary>Name of the search-signal figure (without folder and extension).</summary>
    public const string SignalFigure = "search-signal";

    /// <summary>Line patterns of the proxy-assisted searches, by the proxy's first appearance in the invocation.</summary>
    private static readonly LinePattern[] AssistedPatterns = [LinePattern.Solid, LinePattern.Dotted, LinePattern.DenselyDashed];

    /// <summary>The file names the figures get, figure by figure (the test columns, then the signal).</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        [.. NasBench201SearchSimulation.ReportColumns.Select(c => $"search-{c}.png"), SignalFigure + ".png"];

    /// <summary>One curve: the runs of one search, summarised on a budget grid.</summary>
    /// <param name="Spent">Budget points (12-epoch trainings), ascending.</param>
    /// <param name="Mean">Mean over runs of the incumbent's value at each point.</param>
    /// <param name="Std">Sample standard deviation over runs (0 for a single run).</param>
    internal sealed record Curve(double[] Spent, double[] Mean, double[] Std);

    /// <summary>Writes the figures of some searches into <paramref name="folder"/> (created when missing).</summary>
    /// <param name="folder">Output folder.</param>
    /// <param name="reports">The searches of one invocation, in the order they ran.</param>
    /// <returns>The files written (<see cref="FileNames"/> in <paramref name="folder"/>).</returns>
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<NasBench201SearchReport> reports)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(reports);
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        var columns = NasBench201SearchSimulation.ReportColumns;
        for (var c = 0; c < columns.Count; c++)
        {
            var column = columns[c];
            files.Add(Figure(Path.Combine(folder, FileNames[c]), reports, p => p.Final[column], $"incumbent's {column} (%, 200 epochs)"));
        }

        var signal = reports.Count == 0 ? NasBench201SearchOptions.DefaultSignalColumn : reports[0].Options.SignalColumn;
        var signalLabel = reports.Any(r => r.Options.Algorithm == SearchAlgorithm.Bohb && r.Options.Fidelities.Count > 1)
            ? $"incumbent's {signal} (%; BOHB's at 200 ep)"
            : $"best {signal} so far (%)";
        files.Add(Figure(Path.Combine(folder, FileNames[^1]), reports, p => p.Signal, signalLabel));
        return files;
    }

    /// <summary>A search's label: <c>REA</c>, <c>REA + synflow</c>, with BOHB's ladder when it is not the default.</summary>
    /// <param name="report">The search.</param>
    /// <returns>The label.</returns>
    public static string Label(NasBench201SearchReport report)
    {
        var o = report.Options;
        var name = o.Algorithm.ToId().ToUpperInvariant();
        if (o.Algorithm == SearchAlgorithm.Bohb)
        {
            name += $" ({string.Join("→", o.Fidelities)} ep)";
        }

        return report.Proxy is null ? name : $"{name} + {report.Proxy}";
    }

    /// <summary>
    /// Mean and sample std over runs of the incumbent's value after each whole unit of budget (1, 2, …, budget 12-epoch
    /// trainings): a run's value at b is its last point with at most b spent. The grid starts where every run has trained.
    /// </summary>
    /// <param name="report">The search.</param>
    /// <param name="value">The value of a point.</param>
    /// <returns>The curve.</returns>
    internal static Curve Summarise(NasBench201SearchReport report, Func<NasBench201TrajectoryPoint, double> value)
    {
        var spent = new List<double>();
        var mean = new List<double>();
        var std = new List<double>();
        var cursor = new int[report.Runs.Count];
        Array.Fill(cursor, -1);
        var values = new double[report.Runs.Count];
        for (var b = 1; b <= report.Options.Budget; b++)
        {
            var all = true;
            for (var r = 0; r < report.Runs.Count; r++)
            {
                var points = report.Runs[r].Trajectory;
                // The same slack as the budget check: sums of 200/12 costs may round a hair above a whole unit.
                while (cursor[r] + 1 < points.Count && points[cursor[r] + 1].Spent <= b * (1 + 1e-12))
                {
                    cursor[r]++;
                }

                all &= cursor[r] >= 0;
                values[r] = cursor[r] >= 0 ? value(points[cursor[r]]) : double.NaN;
            }

            if (all)
            {
                var summary = MeanStd.Of(values);
                spent.Add(b);
                mean.Add(summary.Mean);
                std.Add(double.IsNaN(summary.Std) ? 0 : summary.Std);
            }
        }

        return new Curve([.. spent], [.. mean], [.. std]);
    }

    private static string Figure(string file, IReadOnlyList<NasBench201SearchReport> reports, Func<NasBench201TrajectoryPoint, double> value, string yLabel)
    {
        var plot = new Plot();
        var (low, high) = (double.PositiveInfinity, double.NegativeInfinity);
        var proxies = reports.Where(r => r.Proxy is not null).Select(r => r.Proxy!).Distinct(StringComparer.Ordinal).ToList();
        foreach (var report in reports)
        {
            var curve = Summarise(report, value);
            if (curve.Spent.Length == 0)
            {
                continue;
            }

            // The vertical range covers every band from a tenth of the budget on: the first few trainings spread far wider
            // than the end of the search, and would flatten the part of the curves that separates the searches.
            for (var i = 0; i < curve.Spent.Length; i++)
            {
                if (curve.Spent[i] >= Math.Max(1, report.Options.Budget / 10.0))
                {
                    low = Math.Min(low, curve.Mean[i] - curve.Std[i]);
                    high = Math.Max(high, curve.Mean[i] + curve.Std[i]);
                }
            }

            // One colour per algorithm; the vanilla search dashed, the proxy-assisted ones solid (then dotted, densely dashed).
            var color = Palette((int)report.Options.Algorithm);
            var band = plot.Add.FillY(curve.Spent, [.. curve.Mean.Zip(curve.Std, (m, s) => m - s)], [.. curve.Mean.Zip(curve.Std, (m, s) => m + s)]);
            band.FillColor = color.WithAlpha(0.15);
            band.LineWidth = 0;
            var line = plot.Add.ScatterLine(curve.Spent, curve.Mean);
            line.Color = color;
            line.LineWidth = 2;
            line.LinePattern = report.Proxy is null ? LinePattern.Dashed : AssistedPatterns[proxies.IndexOf(report.Proxy) % AssistedPatterns.Length];
            line.LegendText = Label(report);
        }

        var first = reports.FirstOrDefault();
        var runs = reports.Select(r => r.Runs.Count).Distinct().ToList();
        var runText = runs.Count == 1 ? $"{runs[0]} runs" : $"{string.Join("/", runs)} runs";
        var cells = reports.Select(r => r.SpaceSize).Distinct().ToList();
        var cellText = cells.Count == 1 ? string.Create(CultureInfo.InvariantCulture, $"{cells[0]:N0} cells, ") : string.Empty;
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"NAS-Bench-201, {cellText}{runText}, seed {first?.Options.Seed}: line = mean, band = ± 1 std"));
        plot.XLabel("budget spent (12-epoch trainings; a 200-epoch one counts 200/12)");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.LowerRight);
        plot.Legend.FontSize = 11;
        if (double.IsFinite(low) && double.IsFinite(high))
        {
            var margin = Math.Max(0.05 * (high - low), 0.05);
            plot.Axes.SetLimitsY(low - margin, high + margin);
            plot.Axes.SetLimitsX(0, reports.Max(r => r.Options.Budget) + 1);
        }

        plot.SavePng(file, Width, Height);
        return file;
    }

    /// <summary>A fixed colour per algorithm (Category10 by enum value), so an algorithm keeps its colour in every figure.</summary>
    private static Color Palette(int index) => new ScottPlot.Palettes.Category10().GetColor(index);
}
