using System.Text.Json;
using GradSign.Cli.Results;
using GradSign.Cli.Studies;
using GradSign.Data;
using GradSign.SearchSpaces.NasBench101;
using GradSign.Tests.Data;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Studies;

/// <summary>
/// <c>gradsign correlate --space nb101</c> on a made-up 8-row sample (5 distinct hashes, one of them listed three times with
/// different accuracies and once unpruned) beside the real CIFAR-10 images, with a tiny NB101 network: stem 8, one stack of
/// one cell, batches of 2.
/// </summary>
public class CorrelateNb101Tests
{
    private const string S1 = """{"matrix":[[0,1,0],[0,0,1],[0,0,0]],"ops":["input","conv3x3-bn-relu","output"]}""";
    private const string S2 = """{"matrix":[[0,1,0],[0,0,1],[0,0,0]],"ops":["input","conv1x1-bn-relu","output"]}""";
    private const string S3 = """{"matrix":[[0,1,0],[0,0,1],[0,0,0]],"ops":["input","maxpool3x3","output"]}""";
    private const string S4 = """{"matrix":[[0,1,0,1],[0,0,1,0],[0,0,0,1],[0,0,0,0]],"ops":["input","conv3x3-bn-relu","conv1x1-bn-relu","output"]}""";
    private const string S5 = """{"matrix":[[0,1,0,0],[0,0,1,0],[0,0,0,1],[0,0,0,0]],"ops":["input","maxpool3x3","conv3x3-bn-relu","output"]}""";

    // S1 again, with a maxpool vertex (2) that reaches no output: pruned away.
    private const string S1Unpruned = """{"matrix":[[0,1,1,0],[0,0,0,1],[0,0,0,0],[0,0,0,0]],"ops":["input","conv3x3-bn-relu","maxpool3x3","output"]}""";

    private static readonly string[] Hashes = [.. "abcde".Select(c => new string(c, 32))];

    /// <summary>(hash, spec, val_accuracy_108, zc_synflow) per row: cells a (rows 0, 2, 6), b (1, 4), c, d, e.</summary>
    private static readonly (int Hash, string Spec, double Accuracy, double Synflow)[] Rows =
    [
        (0, S1, 90, 10), (1, S2, 91, 20), (0, S1Unpruned, 92, 12), (2, S3, 80, 30), (1, S2, 93, 20), (3, S4, 85, 40), (0, S1, 94, 14), (4, S5, 70, 50),
    ];

    /// <summary>A data folder holding the made-up sample and, with <paramref name="images"/>, a link to the real CIFAR-10 files.</summary>
    private static TempDirectory DataFolder(bool images = true)
    {
        var dir = new TempDirectory();
        var csv = new System.Text.StringBuilder("naslib_tuple,matrix,ops,n_vertices_pruned,nb101_hash,val_accuracy_108,zc_params,zc_synflow,zc_jacov\n");
        foreach (var (hash, spec, accuracy, synflow) in Rows)
        {
            using var doc = JsonDocument.Parse(spec);
            var matrix = doc.RootElement.GetProperty("matrix").GetRawText().Replace("\"", "\"\"", StringComparison.Ordinal);
            var ops = doc.RootElement.GetProperty("ops").GetRawText().Replace("\"", "\"\"", StringComparison.Ordinal);
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"\"()\",\"{matrix}\",\"{ops}\",3,{Hashes[hash]},{accuracy},{hash + 1},{synflow},{-synflow}\n");
        }

        Directory.CreateDirectory(Path.Combine(dir.Path, "nas-bench-101"));
        dir.Write(Path.Combine("nas-bench-101", "nb101_sample.csv"), System.Text.Encoding.UTF8.GetBytes(csv.ToString()));
        if (images)
        {
            Directory.CreateSymbolicLink(Path.Combine(dir.Path, "cifar-10"), Path.Combine(SharedPaths.Data!, "cifar-10"));
        }

        return dir;
    }

    private static string[] Correlate(string data, string output, params string[] extra)
        => ["correlate", "--space", "nb101", "--data", data, "--proxies", "synflow,params", "--batch", "2", "--stacks", "1",
            "--cells-per-stack", "1", "--bootstrap", "20", "--out", output, .. extra, .. extra.Contains("--stem") ? Array.Empty<string>() : ["--stem", "8"]];

    [Fact]
    public void FromRows_NumbersHashesByFirstRowAndAveragesTheirColumns()
    {
        using var data = DataFolder(images: false);
        var table = NasBench101StudyTable.FromRows(NasBench101Sample.Load(Path.Combine(data.Path, NasBench101Sample.DefaultFile)), "sample");
        Assert.Equal(("nb101", 5, 8), (table.Space, table.Count, table.RowCount));
        Assert.Equal(Hashes, table.Hashes);
        Assert.Equal([S1, S2, S3, S4, S5], Enumerable.Range(0, 5).Select(table.Arch));
        Assert.Equal([92.0, 92.0, 80.0, 85.0, 70.0], Enumerable.Range(0, 5).Select(i => table.Value(i, NasBench101StudyTable.Target)));
        Assert.Equal(12.0, table.Value(0, "zc_synflow"));
        Assert.Equal((2, 0), (table.CellsWithDifferingTarget, table.CellsWithOtherSpecs));
        Assert.Equal("zc_synflow", table.PublishedScoreColumn(DatasetKind.Cifar10, "synflow"));
        Assert.Equal("zc_jacov", table.PublishedScoreColumn(DatasetKind.Cifar10, "jacob_cov"));
        Assert.Null(table.PublishedScoreColumn(DatasetKind.Cifar10, "naswot")); // the sample has no zc_nwot
        Assert.Null(table.PublishedScoreColumn(DatasetKind.Cifar10, "gradsign"));
        Assert.Null(table.PublishedAbsSpearman(DatasetKind.Cifar10, "synflow"));
    }

    [RequiresDataFact]
    public void FromRows_RealSample_Has292CellsOf500Rows()
    {
        var table = NasBench101StudyTable.LoadDefault(SharedPaths.Data!);
        Assert.Equal((500, 292), (table.RowCount, table.Count));
        Assert.Equal("4a0ab8bbe2441a002e07b0f445ec2d63", table.Hashes[0]);
        Assert.Equal(35, table.CellsWithDifferingTarget);
        Assert.Equal(9, table.CellsWithOtherSpecs);
    }

    [RequiresDataFact]
    public void Correlate_Nb101_ScoresEachDistinctCellOnce_RefusesResumeWithAnotherStem_AndPlots()
    {
        using var data = DataFolder();
        var results = Path.Combine(data.Path, "r.csv");
        var summary = Path.Combine(data.Path, "s.json");
        var (code, output, err) = CliRunner.Run(Correlate(data.Path, results, "--summary", summary));
        Assert.True(code == 0, err);
        Assert.Contains("nb101 cifar10: target val_accuracy_108, 5 cells", output, StringComparison.Ordinal);

        var file = StudyResultsFile.Read(results);
        Assert.Equal([0, 1, 2, 3, 4], file.Rows.Select(r => r.Index));
        Assert.Equal([S1, S2, S3, S4, S5], file.Rows.Select(r => r.Arch));
        Assert.Equal([92.0, 92.0, 80.0, 85.0, 70.0], file.Rows.Select(r => r.Target));
        Assert.All(file.Rows, r => Assert.All(r.Scores, s => Assert.True(double.IsFinite(s) && s > 0)));
        Assert.Equal(("nb101", "8", "1", "1"), (file.Settings!.Values["space"], file.Settings.Values["stem"], file.Settings.Values["stacks"], file.Settings.Values["cells_per_stack"]));

        using (var doc = JsonDocument.Parse(File.ReadAllBytes(summary)))
        {
            Assert.Equal("nb101", doc.RootElement.GetProperty("space").GetString());
            Assert.Equal("val_accuracy_108", doc.RootElement.GetProperty("target").GetString());
            var synflow = doc.RootElement.GetProperty("proxies").GetProperty("synflow");
            Assert.Equal("zc_synflow", synflow.GetProperty("zc_column").GetString());
            Assert.Equal(JsonValueKind.Null, synflow.GetProperty("published_abs_spearman").ValueKind);
            // zc_synflow averaged to 12, 20, 30, 40, 50 against 92, 92, 80, 85, 70: ranks 1..5 against 4.5, 4.5, 2, 3, 1.
            Assert.Equal(-8.5 / Math.Sqrt(95), synflow.GetProperty("zc_spearman").GetDouble(), 12);
        }

        var before = File.ReadAllBytes(results);
        (code, _, err) = CliRunner.Run(Correlate(data.Path, results, "--resume", "--stem", "16"));
        Assert.NotEqual(0, code);
        Assert.Contains("stem=8 (here: 16)", err, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(results));

        var figures = Path.Combine(data.Path, "figures");
        (code, _, err) = CliRunner.Run("plots", "--out", figures, "--bootstrap", "0", "--data", data.Path, results);
        Assert.True(code == 0, err);
        Assert.Equal(
            ["nb101-cifar10-params-ranks.png", "nb101-cifar10-params-scatter.png", "nb101-cifar10-spearman.png", "nb101-cifar10-synflow-ranks.png", "nb101-cifar10-synflow-scatter.png"],
            Directory.GetFiles(figures).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("--variant", "official")]
    [InlineData("--pipeline", "naswot")]
    [InlineData("--channels", "4")]
    [InlineData("--cells", "2")]
    [InlineData("--target", "cifar10valid_split_test")]
    [InlineData("--dataset", "cifar100")]
    public void Correlate_Nb101WithNb201Option_RefusedNamingIt(string option, string value)
    {
        using var dir = new TempDirectory();
        var (code, _, err) = CliRunner.Run(Correlate(dir.Path, Path.Combine(dir.Path, "r.csv"), option, value));
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        Assert.Contains(option, err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(dir.Path, "r.csv")));
    }

    [Theory]
    [InlineData("--stem", "8")]
    [InlineData("--stacks", "1")]
    [InlineData("--cells-per-stack", "1")]
    public void Correlate_Nb201WithNb101Option_RefusedNamingIt(string option, string value)
    {
        using var dir = new TempDirectory();
        var (code, _, err) = CliRunner.Run("correlate", "--data", dir.Path, "--out", Path.Combine(dir.Path, "r.csv"), option, value);
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        Assert.Contains($"{option} applies to --space nb101 only", err, StringComparison.Ordinal);
    }
}
