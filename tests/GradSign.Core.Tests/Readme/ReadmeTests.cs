using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Readme;

public class ReadmeTests
{
    private static string Read(params string[] parts) => File.ReadAllText(Path.Combine([SharedPaths.RepositoryRoot, .. parts])).ReplaceLineEndings("\n");

    [Fact]
    public void QuickStart_ReadmeCSharpBlock_IsTheCompiledSnippet()
    {
        var source = Read("tests", "GradSign.PublicApi.Tests", "Readme", "QuickStart.cs").Split('\n');
        var usings = source.TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal));
        var begin = Array.FindIndex(source, l => l.Trim() == "// README:begin");
        var end = Array.FindIndex(source, l => l.Trim() == "// README:end");
        var indent = source[begin].IndexOf('/', StringComparison.Ordinal);
        var body = source[(begin + 1)..end].Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()).ToList();
        while (body.Count > 0 && body[^1].Length == 0)
        {
            body.RemoveAt(body.Count - 1);
        }

        var expected = string.Join("\n", [.. usings, string.Empty, .. body]);
        var readme = Read("README.md");
        const string Fence = "```csharp\n";
        var start = readme.IndexOf(Fence, StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no ```csharp block.");
        start += Fence.Length;
        var block = readme[start..readme.IndexOf("\n```", start, StringComparison.Ordinal)];
        Assert.Equal(expected, block);
    }

    [Fact]
    public void SetUp_Block_HasExactlyTwoCommands()
    {
        var readme = Read("README.md");
        var section = readme[readme.IndexOf("## Set-up", StringComparison.Ordinal)..];
        var open = section.IndexOf("```\n", StringComparison.Ordinal) + 4;
        var lines = section[open..section.IndexOf("\n```", open, StringComparison.Ordinal)].Split('\n');
        Assert.Equal(2, lines.Count(l => l.Trim().Length > 0));
    }

    [Fact]
    public void Readme_LinksEveryDocsPage()
    {
        var readme = Read("README.md");
        foreach (var page in Directory.GetFiles(Path.Combine(SharedPaths.RepositoryRoot, "docs"), "*.md"))
        {
            Assert.Contains($"(docs/{Path.GetFileName(page)})", readme, StringComparison.Ordinal);
        }
    }
}
