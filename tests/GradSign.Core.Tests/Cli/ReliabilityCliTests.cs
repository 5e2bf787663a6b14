using GradSign.Cli.Results;
using GradSign.Tests.Data;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Cli;

/// <summary>Every failure of the command line is one line on stderr with exit code 2 (the command line is wrong) or 1
/// (the data or the run failed), and leaves no half-written output behind.</summary>
public class ReliabilityCliTests
{
    private const string Arch = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";
    private const string Nb101Spec = "{\"matrix\":[[0,1],[0,0]],\"ops\":[\"input\",\"output\"]}";

    internal static void AssertOneLine(string error)
        => Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));

    [Theory]
    [InlineData("--channels", "100000", "nb201")]
    [InlineData("--classes", "2000000000", "nb201")]
    [InlineData("--input-size", "2000000000", "nb201")]
    [InlineData("--cells", "2000000000", "nb201")]
    [InlineData("--stem", "46341", "nb101")]
    [InlineData("--classes", "2000000000", "nb101")]
    [InlineData("--cells-per-stack", "2000000000", "nb101")]
    public void Score_SizeTooLarge_UsageErrorNamingOptionAndValue(string option, string value, string space)
    {
        string[] args = space == "nb201"
            ? ["score", "--space", "nb201", "--arch", Arch, option, value]
            : ["score", "--space", "nb101", "--spec", Nb101Spec, option, value];
        var (code, _, err) = CliRunner.Run(args);
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        AssertOneLine(err);
        Assert.StartsWith($"gradsign: {option}:", err, StringComparison.Ordinal);
        Assert.Contains(value, err, StringComparison.Ordinal);
        Assert.DoesNotContain("Overflow", err, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", err, StringComparison.Ordinal);
    }

    [RequiresDataFact]
    public void Correlate_SizeTooLarge_RefusedBeforeAnyFileIsWritten()
    {
        using var dir = new TempDirectory();
        var results = Path.Combine(dir.Path, "x.csv");
        var (code, _, err) = CliRunner.Run("correlate", "--proxies", "params", "--sample", "2", "--channels", "100000", "--out", results);
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        AssertOneLine(err);
        Assert.Contains("--channels", err, StringComparison.Ordinal);
        Assert.False(File.Exists(results));
    }

    [Fact]
    public void Merge_TornLastLine_WarnsAndMergesTheCompleteRows()
    {
        using var dir = new TempDirectory();
        var input = Path.Combine(dir.Path, "a.csv");
        StudyResultsFile.Write(input, new StudySettings(new Dictionary<string, string> { ["seed"] = "1" }), new StudyResultsSchema(["alpha"], "t"),
            [new StudyRow(0, "|a~0|", [1], 2, [0]), new StudyRow(1, "|b~0|", [3], 4, [0])]);
        File.AppendAllText(input, "2,|c~0|,5"); // a run killed mid-row
        var merged = Path.Combine(dir.Path, "m.csv");
        var (code, output, err) = CliRunner.Run("merge", "--out", merged, input);
        Assert.Equal(0, code);
        Assert.Contains("merged 2 cells", output, StringComparison.Ordinal);
        AssertOneLine(err);
        Assert.StartsWith("gradsign: warning: Skipped an unterminated last line (9 bytes)", err, StringComparison.Ordinal);
        Assert.Contains("a.csv", err, StringComparison.Ordinal);
    }

    [RequiresDataTheory]
    [InlineData("--runs", "0")]
    [InlineData("--budget", "0")]
    [InlineData("--population", "0")]
    [InlineData("--warmup", "-1")]
    [InlineData("--candidates", "0")]
    public void Search_OutOfRangeSetting_UsageErrorNamingTheOption(string option, string value)
    {
        var settings = new Dictionary<string, string> { ["--runs"] = "2", ["--budget"] = "5", [option] = value };
        var (code, _, err) = CliRunner.Run(["search", "--algo", "rea", "--proxy", "synflow", "--scores", "published", .. settings.SelectMany(p => new[] { p.Key, p.Value })]);
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        AssertOneLine(err);
        Assert.StartsWith($"gradsign: {option}:", err, StringComparison.Ordinal);
        Assert.Contains(value, err, StringComparison.Ordinal);
    }

    [RequiresDataFact]
    public void Search_ScoresFileWithMalformedArch_IsADataError()
    {
        using var dir = new TempDirectory();
        var scores = Path.Combine(dir.Path, "s.csv");
        StudyResultsFile.Write(scores, new StudySettings(new Dictionary<string, string> { ["seed"] = "1" }), new StudyResultsSchema(["synflow"], "t"),
            [new StudyRow(0, "|not_an_op~0|+|none~0|none~1|+|none~0|none~1|none~2|", [1], 2, [0])]);
        var (code, _, err) = CliRunner.Run("search", "--algo", "rs", "--proxy", "synflow", "--scores", scores, "--runs", "1", "--budget", "1");
        Assert.Equal(GradSign.Cli.Cli.Failure, code);
        AssertOneLine(err);
        Assert.Contains("not_an_op", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("folder")]
    [InlineData("under-a-file")]
    [InlineData("sysfs")]
    public void Merge_UnwritableOut_RefusedBeforeReadingInputs(string kind)
    {
        if (kind == "sysfs" && !Directory.Exists("/sys/kernel"))
        {
            return; // no sysfs here (not Linux)
        }

        using var dir = new TempDirectory();
        var input = Path.Combine(dir.Path, "a.csv");
        StudyResultsFile.Write(input, new StudySettings(new Dictionary<string, string> { ["seed"] = "1" }), new StudyResultsSchema(["alpha"], "t"), [new StudyRow(0, "|a~0|", [1], 2, [0])]);
        var output = kind switch
        {
            "folder" => dir.Path,
            "under-a-file" => Path.Combine(input, "m.csv"),
            _ => "/sys/kernel/gradsign-merge.csv",
        };
        var (code, _, err) = CliRunner.Run("merge", "--out", output, input);
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        AssertOneLine(err);
        Assert.StartsWith($"gradsign: --out '{output}'", err, StringComparison.Ordinal);
    }
}
