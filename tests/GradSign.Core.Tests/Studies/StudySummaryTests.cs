using System.Text.Json;
using GradSign.Cli.Results;
using GradSign.Cli.Studies;
using GradSign.Data;
using GradSign.SearchSpaces.NasBench201;
using GradSign.Tests.Data;

namespace GradSign.Tests.Studies;

public class StudySummaryTests
{
    // published synflow = reversed order on even cells, empty (NaN) on every 5th
    private static NasBench201StudyTable Table(TempDirectory dir) => new(SyntheticNasBench201.Table(
        dir,
        "cifar10valid_split_test,zc_c10_synflow",
        i => $"{50 + i},{(i % 5 == 0 ? string.Empty : (i % 2 == 0 ? -i : i).ToString(System.Globalization.CultureInfo.InvariantCulture))}"));

    private static StudyRow[] Rows(NasBench201StudyTable table, int n, Func<int, double> synflow, Func<int, double> gradsign)
        => [.. table.Table.Rows.Take(n).Select(r => new StudyRow(r.Index, r.Arch, [synflow(r.Index), gradsign(r.Index)], r.Cifar10ValidSplitTest, [0.5, 1.5]))];

    private static readonly StudyResultsSchema Schema = new(["synflow", "gradsign"], "cifar10valid_split_test");

    [Fact]
    public void Compute_MonotoneAndReversedScores_GivePlusAndMinusOne()
    {
        using var dir = new TempDirectory();
        var table = Table(dir);
        const int N = 30;
        var report = StudySummary.Compute(Schema, Rows(table, N, i => Math.Exp(i / 10.0), i => -i), table, DatasetKind.Cifar10, 200, 1);
        var synflow = report.Proxies[0];
        Assert.Equal(("synflow", 30), (synflow.ProxyId, synflow.N));
        Assert.Equal(1.0, synflow.Spearman, 12);
        Assert.Equal(1.0, synflow.Kendall, 12);
        Assert.Equal((1.0, 1.0), (Math.Round(synflow.SpearmanCi.Lo, 12), Math.Round(synflow.SpearmanCi.Hi, 12)));
        Assert.Equal(0.737, synflow.PublishedAbsSpearman);
        Assert.Equal(0.5, synflow.MeanSeconds);
        Assert.Equal("zc_c10_synflow", synflow.ZcColumn);
        Assert.NotNull(synflow.ZcSpearman);
        var gradsign = report.Proxies[1];
        Assert.Equal(-1.0, gradsign.Spearman, 12);
        Assert.Equal(-1.0, gradsign.Kendall, 12);
        Assert.Null(gradsign.PublishedAbsSpearman);
        Assert.Null(gradsign.ZcColumn);
    }

    [Fact]
    public void Compute_NaNScores_AreOmittedPairwise()
    {
        using var dir = new TempDirectory();
        var table = Table(dir);
        const int N = 20;
        var report = StudySummary.Compute(Schema, Rows(table, N, i => i % 4 == 0 ? double.NaN : i, i => i), table, DatasetKind.Cifar10, 0, 1);
        Assert.Equal(15, report.Proxies[0].N);
        Assert.Equal(1.0, report.Proxies[0].Spearman, 12);
        Assert.True(double.IsNaN(report.Proxies[0].SpearmanCi.Lo));
    }

    [Fact]
    public void Compute_PublishedScoreOnSameCells_MatchesItsOwnCorrelation()
    {
        using var dir = new TempDirectory();
        var table = Table(dir);
        const int N = 40;
        // our synflow equals the published one → agreement 1 and the same ρ vs target on the cells where it exists
        var report = StudySummary.Compute(Schema, Rows(table, N, i => table.Value(i, "zc_c10_synflow"), i => i), table, DatasetKind.Cifar10, 0, 1);
        var synflow = report.Proxies[0];
        Assert.Equal(1.0, synflow.ZcAgreement!.Value, 12);
        Assert.Equal(synflow.Spearman, synflow.ZcSpearman!.Value, 12);
        Assert.Equal(synflow.Spearman, synflow.SpearmanOnZcCells!.Value, 12);
        Assert.Equal(32, synflow.N);
    }

    [Fact]
    public void Compute_SpearmanOnZcCells_LeavesOutTheCellsWithoutAPublishedScore()
    {
        using var dir = new TempDirectory();
        var table = Table(dir);
        const int N = 40;
        // ours follows the target where a published score exists and runs against it on the other cells (every 5th)
        var report = StudySummary.Compute(Schema, Rows(table, N, i => i % 5 == 0 ? -i : i, i => i), table, DatasetKind.Cifar10, 0, 1);
        var synflow = report.Proxies[0];
        Assert.Equal(N, synflow.N);
        Assert.True(synflow.Spearman < 0.9, $"ρ on all cells {synflow.Spearman}");
        Assert.Equal(1.0, synflow.SpearmanOnZcCells!.Value, 12);
        Assert.Null(report.Proxies[1].SpearmanOnZcCells);
    }

    [Fact]
    public void WriteJson_HasDocumentedShape()
    {
        using var dir = new TempDirectory();
        var table = Table(dir);
        const int N = 12;
        var report = StudySummary.Compute(Schema, Rows(table, N, i => i, i => i % 3), table, DatasetKind.Cifar10, 50, 3);
        using var stream = new MemoryStream();
        StudySummary.WriteJson(report, stream);
        using var doc = JsonDocument.Parse(stream.ToArray());
        var root = doc.RootElement;
        Assert.Equal("cifar10valid_split_test", root.GetProperty("target").GetString());
        Assert.Equal(12, root.GetProperty("n").GetInt32());
        var synflow = root.GetProperty("proxies").GetProperty("synflow");
        foreach (var key in new[] { "spearman", "kendall", "mean_seconds", "published_abs_spearman", "spearman_on_zc_cells", "zc_spearman" })
        {
            Assert.Equal(JsonValueKind.Number, synflow.GetProperty(key).ValueKind);
        }

        Assert.Equal(2, synflow.GetProperty("spearman_ci").GetArrayLength());
        Assert.Equal(2, synflow.GetProperty("kendall_ci").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("proxies").GetProperty("gradsign").GetProperty("published_abs_spearman").ValueKind);
    }

    [Fact]
    public void WriteMarkdown_ListsEveryProxyInAMarkdownTable()
    {
        using var dir = new TempDirectory();
        var table = Table(dir);
        const int N = 12;
        var report = StudySummary.Compute(Schema, Rows(table, N, i => i, i => i % 3), table, DatasetKind.Cifar10, 0, 3);
        using var text = new StringWriter();
        StudySummary.WriteMarkdown(report, text);
        var output = text.ToString();
        Assert.Contains("| synflow", output, StringComparison.Ordinal);
        Assert.Contains("| gradsign", output, StringComparison.Ordinal);
        Assert.Contains("0.737", output, StringComparison.Ordinal);
        Assert.Contains("|---", output.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteMarkdown_EveryTableLineHasTheHeadersCellCount()
    {
        using var dir = new TempDirectory();
        var table = Table(dir);
        var report = StudySummary.Compute(Schema, Rows(table, 12, i => i, i => i % 3), table, DatasetKind.Cifar10, 0, 3);
        using var text = new StringWriter();
        StudySummary.WriteMarkdown(report, text);
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('|')).ToArray();
        Assert.True(lines.Length >= 3, text.ToString());

        // Cells are separated by pipes that are not escaped (GitHub Markdown reads "\|" as a literal pipe).
        static int Cells(string line) => System.Text.RegularExpressions.Regex.Matches(line.Trim(), @"(?<!\\)\|").Count - 1;
        Assert.All(lines, l => Assert.Equal(Cells(lines[1]), Cells(l)));
        Assert.Equal(11, Cells(lines[0]));
    }

    [Fact]
    public void WriteJson_UndefinedCorrelation_IsTheStringNaN_AbsentValueIsNull()
    {
        using var dir = new TempDirectory();
        var table = Table(dir);
        // a constant gradsign score: ρ and τ are undefined; gradsign has no published value.
        var report = StudySummary.Compute(Schema, Rows(table, 12, i => i, _ => 1.0), table, DatasetKind.Cifar10, 0, 3);
        using var stream = new MemoryStream();
        StudySummary.WriteJson(report, stream);
        using var doc = JsonDocument.Parse(stream.ToArray());
        var gradsign = doc.RootElement.GetProperty("proxies").GetProperty("gradsign");
        Assert.Equal("NaN", gradsign.GetProperty("spearman").GetString());
        Assert.Equal("NaN", gradsign.GetProperty("kendall").GetString());
        Assert.Equal(JsonValueKind.Null, gradsign.GetProperty("published_abs_spearman").ValueKind);
    }
}
