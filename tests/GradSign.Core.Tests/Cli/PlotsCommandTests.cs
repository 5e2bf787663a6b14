using GradSign.Cli.Results;
using GradSign.Tests.Data;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Cli;

/// <summary><c>gradsign correlate --plots</c> and <c>gradsign plots</c> draw the study's figures as PNG files.</summary>
public class PlotsCommandTests
{
    private static void AssertPngs(string folder, int expected)
    {
        var files = Directory.GetFiles(folder, "*.png");
        Assert.Equal(expected, files.Length);
        Assert.All(files, f => Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(f)[..4]));
    }

    [RequiresDataFact]
    public void Correlate_WithPlots_DrawsTwoFiguresPerProxyAndTheRhoChart_AndPlotsRedrawsThemFromTheFile()
    {
        using var dir = new TempDirectory();
        var results = Path.Combine(dir.Path, "x.csv.tmp");
        var figures = Path.Combine(dir.Path, "figures");
        var (code, _, err) = CliRunner.Run(
            "correlate", "--dataset", "cifar10", "--proxies", "synflow,params", "--sample", "6", "--batch", "4", "--channels", "2",
            "--cells", "1", "--bootstrap", "20", "--out", results, "--plots", figures);
        Assert.True(code == 0, err);
        AssertPngs(figures, (2 * 2) + 1);

        // The same figures from the results file, as the documentation's are drawn from the committed shards.
        var gz = Path.Combine(dir.Path, "x.csv.gz");
        using (var output = new System.IO.Compression.GZipStream(File.Create(gz), System.IO.Compression.CompressionLevel.Fastest))
        {
            output.Write(File.ReadAllBytes(results));
        }

        var again = Path.Combine(dir.Path, "again");
        (code, _, err) = CliRunner.Run("plots", "--out", again, "--bootstrap", "20", gz);
        Assert.True(code == 0, err);
        AssertPngs(again, (2 * 2) + 1);
        Assert.Equal(6, StudyResultsFile.Read(gz).Rows.Count);
    }
}
