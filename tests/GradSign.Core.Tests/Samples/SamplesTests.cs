using System.Text.Json;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Samples;

/// <summary>
/// The samples are file-based apps that CI runs (.ci/run); these tests keep their shape and keep
/// docs/notebooks/quickstart.ipynb the notebook form of samples/quickstart.cs.
/// </summary>
public class SamplesTests
{
    private const string PackageReference = "#r \"nuget: GradSign.Core, 0.1.0\"";

    public static TheoryData<string> SampleNames => new() { "quickstart", "own-network", "rank-cells", "search" };

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Sample_Header_ReferencesCoreAndDisablesAot(string name)
    {
        var lines = ReadLines(Path.Combine("samples", name + ".cs"));
        Assert.Equal("#:project ../src/GradSign.Core/GradSign.Core.csproj", lines[0]);
        Assert.Equal("#:property PublishAot=false", lines[1]);
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Sample_Length_UnderFortyLines(string name)
    {
        var lines = ReadLines(Path.Combine("samples", name + ".cs"));
        Assert.True(lines.Length < 40, $"samples/{name}.cs has {lines.Length} lines; samples stay under 40.");
    }

    [Fact]
    public void TorchSharpSample_ReferencesTheBackendTheNativesAndThePatch_UnderFortyLines()
    {
        var lines = ReadLines(Path.Combine("samples", "torchsharp.cs"));
        Assert.Equal("#:project ../src/GradSign.Backends.TorchSharp/GradSign.Backends.TorchSharp.csproj", lines[0]);
        Assert.Contains("#:package TorchSharp-cpu@0.107.0", lines);
        Assert.Contains("#:property GradSignPatchLibTorchSharp=true", lines);
        Assert.Contains("#:property PublishAot=false", lines);
        Assert.True(lines.Length < 40, $"samples/torchsharp.cs has {lines.Length} lines; samples stay under 40.");
    }

    [Fact]
    public void QuickstartNotebook_CodeCells_EqualQuickstartSampleWithoutDirectives()
    {
        var sample = string.Join("\n", ReadLines(Path.Combine("samples", "quickstart.cs")).Where(l => !l.StartsWith("#:", StringComparison.Ordinal))).Trim('\n');
        var cells = NotebookCells("code");

        Assert.Equal(PackageReference, cells[0]);
        Assert.Equal(sample, string.Join("\n\n", cells.Skip(1)));
    }

    [Fact]
    public void QuickstartNotebook_Markdown_SaysFileBasedAppsAreTheMaintainedPath()
    {
        var markdown = string.Join("\n", NotebookCells("markdown"));

        Assert.Contains("retired in 2026", markdown, StringComparison.Ordinal);
        Assert.Contains("samples/quickstart.cs", markdown, StringComparison.Ordinal);
    }

    private static string[] ReadLines(string relativePath)
        => File.ReadAllText(Path.Combine(SharedPaths.RepositoryRoot, relativePath)).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');

    private static List<string> NotebookCells(string cellType)
    {
        using var notebook = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedPaths.RepositoryRoot, "docs", "notebooks", "quickstart.ipynb")));
        return [.. notebook.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == cellType)
            .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(s => s.GetString())).Replace("\r\n", "\n", StringComparison.Ordinal))];
    }
}
