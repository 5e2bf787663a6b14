using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Cli;

public class ScoreCommandTests
{
    private const string Best = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";
    private const string AllConv3 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
    private const string Issue23 = "{\"matrix\":[[0,1,1,0,0,1,1],[0,0,0,0,0,1,0],[0,0,0,1,0,0,0],[0,0,0,0,1,0,0],[0,0,0,0,0,1,0],[0,0,0,0,0,0,1],[0,0,0,0,0,0,0]],\"ops\":[\"input\",\"conv1x1-bn-relu\",\"conv3x3-bn-relu\",\"maxpool3x3\",\"conv3x3-bn-relu\",\"conv3x3-bn-relu\",\"output\"]}";

    [Theory]
    [InlineData(Best, "10", "{\"proxies\":{\"params\":1288506}}")]
    [InlineData(AllConv3, "10", "{\"proxies\":{\"params\":1531546}}")]
    [InlineData(AllConv3, "120", "{\"proxies\":{\"params\":1538696}}")]
    public void Score_Nb201Official_PrintsBenchmarkParameterCount(string arch, string classes, string expected)
    {
        var (code, output, error) = CliRunner.Run("score", "--space", "nb201", "--variant", "official", "--classes", classes, "--arch", arch, "--proxies", "params", "--json");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        Assert.Equal(expected, output.Trim());
    }

    [Fact]
    public void Score_Nb101_PrintsParamsAndFlops()
    {
        var (code, output, _) = CliRunner.Run("score", "--space", "nb101", "--spec", Issue23, "--proxies", "params,flops", "--json");
        Assert.Equal(0, code);
        Assert.StartsWith("{\"proxies\":{\"params\":32426634,\"flops\":", output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void Score_TextOutput_OneLinePerProxy()
    {
        var (code, output, _) = CliRunner.Run("score", "--space", "nb201", "--arch", Best, "--proxies", "params,flops");
        Assert.Equal(0, code);
        Assert.Equal(2, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("params\t", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--arch: Invalid NAS-Bench-201", "score", "--space", "nb201", "--arch", "|bad~0|")]
    [InlineData("node 3 token 'nor_conv_3x3~3'", "score", "--space", "nb201", "--arch", "|none~0|+|none~0|none~1|+|none~0|none~1|nor_conv_3x3~3|")]
    [InlineData("needs --arch", "score", "--space", "nb201")]
    [InlineData("needs --spec", "score", "--space", "nb101")]
    [InlineData("--spec: NAS-Bench-101 spec is not valid JSON", "score", "--space", "nb101", "--spec", "{matrix")]
    [InlineData("--spec: ops[1]", "score", "--space", "nb101", "--spec", "{\"matrix\":[[0,1],[0,0]],\"ops\":[\"input\",\"conv\"]}")]
    [InlineData("--spec: matrix[1][0]", "score", "--space", "nb101", "--spec", "{\"matrix\":[[0,1],[1,0]],\"ops\":[\"input\",\"output\"]}")]
    [InlineData("--classes must be a positive integer", "score", "--space", "nb201", "--arch", Best, "--classes", "0")]
    [InlineData("--input-size", "score", "--space", "nb201", "--arch", Best, "--input-size", "30")]
    [InlineData("--proxies: 'snip'", "score", "--space", "nb201", "--arch", Best, "--proxies", "snip")]
    [InlineData("--proxies is empty", "score", "--space", "nb201", "--arch", Best, "--proxies", ",")]
    [InlineData("twice", "score", "--space", "nb201", "--arch", Best, "--proxies", "params,params")]
    [InlineData("--spec applies to --space nb101", "score", "--space", "nb201", "--arch", Best, "--spec", "{}")]
    [InlineData("--variant applies to --space nb201", "score", "--space", "nb101", "--spec", Issue23, "--variant", "official")]
    [InlineData("nb301", "score", "--space", "nb301")]
    [InlineData("tiny", "score", "--space", "nb201", "--arch", Best, "--variant", "tiny")]
    [InlineData("--classes", "score", "--space", "nb201", "--arch", Best, "--classes", "ten")]
    public void Score_MalformedInput_ExitsTwoNamingBadPart(string fragment, params string[] args)
    {
        var (code, output, error) = CliRunner.Run(args);
        Assert.Equal(GradSign.Cli.Cli.UsageError, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
    }

    private const string AllSkip = "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|";

    [RequiresDataFact]
    public void Score_Dataset_TinyAllSkipCell_PrintsRequestedProxiesDeterministically()
    {
        string[] args = ["score", "--space", "nb201", "--arch", AllSkip, "--dataset", "cifar10", "--batch", "8", "--seed", "3",
            "--channels", "4", "--cells", "1", "--proxies", "params,snip,naswot", "--json"];
        var (code, output, error) = CliRunner.Run(args);
        Assert.True(code == 0, error);
        var proxies = System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("proxies");
        Assert.Equal(["params", "snip", "naswot"], proxies.EnumerateObject().Select(p => p.Name));
        Assert.True(proxies.GetProperty("snip").GetDouble() > 0);
        Assert.Equal(output, CliRunner.Run(args).Out);
        Assert.NotEqual(output, CliRunner.Run([.. args[..^1].Select(a => a == "3" ? "4" : a), "--json"]).Out);
    }

    [RequiresDataFact]
    public void Score_GradSignMean_IsTheVoteSumOverTheScoredWeightCount()
    {
        var (code, output, error) = CliRunner.Run(
            "score", "--space", "nb201", "--variant", "official", "--arch", Best, "--dataset", "cifar10", "--batch", "8", "--seed", "3",
            "--channels", "4", "--cells", "1", "--proxies", "gradsign,gradsign_mean", "--json");
        Assert.True(code == 0, error);
        var proxies = System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("proxies");
        var (sum, mean) = (proxies.GetProperty("gradsign").GetDouble(), proxies.GetProperty("gradsign_mean").GetDouble());
        Assert.InRange(mean, 1e-9, 8); // |Σ_i sign| ≤ batch for every weight
        var weightCount = sum / mean;   // the same votes divided by the number of scored weights
        Assert.True(weightCount > 100 && Math.Abs(weightCount - Math.Round(weightCount)) < 1e-6 * weightCount, $"{sum} / {mean} = {weightCount}");
    }

    [Theory]
    [InlineData("--dataset", "score", "--space", "nb201", "--arch", Best, "--dataset", "mnist")]
    [InlineData("--dataset supports --space nb201", "score", "--space", "nb101", "--spec", Issue23, "--dataset", "cifar10")]
    [InlineData("--classes cannot be combined with --dataset", "score", "--space", "nb201", "--arch", Best, "--dataset", "cifar10", "--classes", "10")]
    [InlineData("--batch applies to --dataset", "score", "--space", "nb201", "--arch", Best, "--batch", "8")]
    [InlineData("--seed applies to --dataset", "score", "--space", "nb201", "--arch", Best, "--seed", "1")]
    [InlineData("--batch must be a positive integer", "score", "--space", "nb201", "--arch", Best, "--dataset", "cifar10", "--batch", "0", "--data", ".")]
    [InlineData("--proxies", "score", "--space", "nb201", "--arch", Best, "--dataset", "cifar10", "--proxies", "nope", "--data", ".")]
    [InlineData("--proxies: 'snip' needs data", "score", "--space", "nb201", "--arch", Best, "--proxies", "snip")]
    public void Score_DatasetOptionErrors_NameTheOptionAndExit2(string message, params string[] args)
    {
        var (code, _, error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
