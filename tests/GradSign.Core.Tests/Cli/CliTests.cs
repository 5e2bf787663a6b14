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

    [Theory]
    [InlineData("bogus", "unknown command 'bogus'; commands: data, correlate, merge, plots, score, stats, search, bench")]
    [InlineData("", "no command given; commands: data,")]
    [InlineData("stats extra", "unknown argument 'extra' for 'stats'")]
    [InlineData("score --space nb201 --classes abc", "--classes: 'abc' is not a whole number from -2147483648 to 2147483647")]
    [InlineData("search --algo rs --seed -1", "--seed: '-1' is not a whole number from 0 to 18446744073709551615")]
    [InlineData("search --algo rs --learning-rate fast", "--learning-rate: 'fast' is not a number")]
    [InlineData("stats --csv a.csv --x a --y b --nan drop", "--nan: Argument 'drop' not recognized. Must be one of: 'omit' 'propagate'")]
    public void ParseError_OneLineInWords_NoTypeNames(string args, string expected)
    {
        var (code, _, error) = CliRunner.Run(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"gradsign: {expected}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Required command was not provided", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_SpaceDefaultsToTheOnlyOne()
    {
        var (code, output, error) = CliRunner.Run("bench", "--arch", "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "--batch", "2", "--proxies", "params", "--repeats", "1");
        Assert.True(code == 0, error);
        Assert.StartsWith("managed\tparams\t", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_BatchTooLargeForOneArray_IsUsageError()
    {
        var (code, _, error) = CliRunner.Run("bench", "--arch", "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "--batch", "1000000", "--proxies", "params");
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        Assert.StartsWith("gradsign: --batch 1000000 is too large", error, StringComparison.Ordinal);
    }

    [RequiresDataFact]
    public void Search_SeedDefaultsTo42_AsEveryCommand()
    {
        var (code, output, error) = CliRunner.Run("search", "--algo", "rs", "--runs", "1", "--budget", "2", "--json");
        Assert.True(code == 0, error);
        Assert.Equal(42UL, System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("search").GetProperty("seed").GetUInt64());
    }

    [Theory]
    [InlineData("score", "--seed")]
    [InlineData("bench", "--seed")]
    [InlineData("correlate", "--seed")]
    [InlineData("search", "--seed")]
    public void Seed_HelpSaysDefault42(string command, string option)
    {
        var (code, output, _) = CliRunner.Run(command, "--help");
        Assert.Equal(0, code);
        var line = output.Split('\n').First(l => l.TrimStart().StartsWith(option, StringComparison.Ordinal));
        Assert.Contains("42", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("score")]
    [InlineData("stats")]
    [InlineData("search")]
    [InlineData("bench")]
    [InlineData("correlate")]
    public void Json_IsAFlagInEveryCommand(string command)
    {
        var option = GradSign.Cli.Cli.BuildRoot().Subcommands.Single(c => c.Name == command).Options.Single(o => o.Name == "--json");
        Assert.Equal(typeof(bool), option.ValueType);
    }
}
