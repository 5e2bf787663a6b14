using GradSign.Benchmarks;

namespace GradSign.Tests.Cli;

public class CliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        var code = GradSign.Benchmarks.Cli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void Help_ListsCommands()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("data", output, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownOption_ExitsWithUsageErrorAndOneLine()
    {
        var (code, _, error) = Run("data", "--no-such-option");
        Assert.Equal(GradSign.Benchmarks.Cli.UsageError, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--no-such-option", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_MissingExplicitFolder_Fails()
    {
        var (code, _, error) = Run("data", "--data", "/no/such/folder");
        Assert.NotEqual(0, code);
        Assert.Contains("/no/such/folder", error, StringComparison.Ordinal);
    }
}
