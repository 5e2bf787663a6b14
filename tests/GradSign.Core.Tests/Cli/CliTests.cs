using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Cli;

public class CliTests
{
    [Fact]
    public void Help_ListsCommands()
    {
        var (code, output, _) = CliRunner.Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("data", output, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownOption_ExitsWithUsageErrorAndOneLine()
    {
        var (code, _, error) = CliRunner.Run("data", "--no-such-option");
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--no-such-option", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_MissingExplicitFolder_Fails()
    {
        var (code, _, error) = CliRunner.Run("data", "--data", "/no/such/folder");
        Assert.NotEqual(0, code);
        Assert.Contains("/no/such/folder", error, StringComparison.Ordinal);
    }
}
