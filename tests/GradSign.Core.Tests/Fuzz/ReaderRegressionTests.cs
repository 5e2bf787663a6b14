using System.Text;
using GradSign.Cli.Results;
using GradSign.Cli.Studies;
using GradSign.SearchSpaces.NasBench101;
using GradSign.SearchSpaces.NasBench201;
using GradSign.Tests.Data;

namespace GradSign.Tests.Fuzz;

/// <summary>Inputs the reader properties found, kept as fixed cases: each threw another exception type than documented,
/// or a message of several lines or thousands of characters.</summary>
public class ReaderRegressionTests
{
    [Fact]
    public void Table_InvalidUtf8_IsInvalidDataNamingTheOffset()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("t.csv", [.. "index,arch\n0,"u8, 0xEF, 0xBB, (byte)'\n']);
        var ex = Assert.Throws<InvalidDataException>(() => NasBench201Table.Load(path));
        Assert.Contains("not UTF-8", ex.Message, StringComparison.Ordinal);
        Assert.Contains("byte offset 13", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nb201Arch_HugeInput_MessageIsClipped()
    {
        var ex = Assert.Throws<FormatException>(() => NasBench201Cell.Parse(new string('|', 10_000)));
        Assert.True(ex.Message.Length < 400, $"{ex.Message.Length} characters");
        Assert.Contains("(10000 characters)", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"ma\\ud800trix\":[[0,1],[0,0]],\"ops\":[\"input\",\"output\"]}")]
    [InlineData("{\"matrix\":[[0,1],[0,0]],\"ops\":[\"input\",\"\\udc00\"]}")]
    public void Nb101Spec_LoneSurrogate_IsFormatException(string json)
        => Assert.Throws<FormatException>(() => ModelSpec.ParseJson(json));

    [Fact]
    public void Nb101Spec_BadJsonWithLineBreak_MessageIsOneLine()
    {
        var ex = Assert.Throws<FormatException>(() => ModelSpec.ParseJson("fa\u0003x\nop"));
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void ResultsHeader_ProxyTwice_IsInvalidData()
    {
        var text = "index,arch,a,a,t,seconds_a,seconds_a\n0,x,1,2,3,0,0\n";
        var ex = Assert.Throws<InvalidDataException>(() => StudyResultsFile.Parse(Encoding.UTF8.GetBytes(text), "dup.csv"));
        Assert.Contains("'a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResultsSettingsLine_LoneSurrogateKey_IsInvalidData()
    {
        var text = "# gradsign-study {\"\\ud800\":\"1\"}\nindex,arch,a,t,seconds_a\n";
        Assert.Throws<InvalidDataException>(() => StudyResultsFile.Parse(Encoding.UTF8.GetBytes(text), "s.csv"));
    }

    [Fact]
    public void Shard_WithLineBreak_MessageIsOneLine()
    {
        var ex = Assert.Throws<ArgumentException>(() => ShardSpec.Parse("15/16\n6"));
        Assert.DoesNotContain('\n', ex.Message);
    }
}
