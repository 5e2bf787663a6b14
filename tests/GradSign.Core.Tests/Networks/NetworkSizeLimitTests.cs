using GradSign.Networks;
using GradSign.SearchSpaces.NasBench101;
using GradSign.SearchSpaces.NasBench201;

namespace GradSign.Tests.Networks;

/// <summary>Sizes whose tensors cannot exist are refused up front with the field and its value named, never by an
/// OverflowException (or a silently wrapped size) somewhere inside the build.</summary>
public class NetworkSizeLimitTests
{
    private static readonly NasBench201Cell Cell = NasBench201Cell.Uniform(NasBench201Operation.NorConv3x3);

    [Theory]
    [InlineData(100_000, 5, 10, 32, "Channels", "100000")]
    [InlineData(16, 5, 2_000_000_000, 32, "NumClasses", "2000000000")]
    [InlineData(16, 5, 10, 100_000, "InputSize", "100000")]
    [InlineData(16, 2_000_000_000, 10, 32, "CellsPerStage", "2000000000")]
    [InlineData(1 << 30, 5, 10, 32, "Channels", "1073741824")]
    public void NasBench201_TooLarge_ThrowsRangeErrorNamingFieldAndValue(int channels, int cells, int classes, int input, string field, string value)
    {
        var options = new NasBench201NetworkOptions(channels, cells, classes, input);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => NasBench201Network.Build(Cell, options));
        Assert.Equal(field, ex.ParamName);
        Assert.Contains(value, ex.Message.Split('\n')[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(46_341, 3, 3, 10, 32, "StemChannels", "46341")]
    [InlineData(128, 3, 3, 2_000_000_000, 32, "NumClasses", "2000000000")]
    [InlineData(128, 3, 2_000_000_000, 10, 32, "CellsPerStack", "2000000000")]
    [InlineData(128, 3, 3, 10, 1 << 20, "InputSize", "1048576")]
    public void NasBench101_TooLarge_ThrowsRangeErrorNamingFieldAndValue(int stem, int stacks, int cells, int classes, int input, string field, string value)
    {
        var spec = ModelSpec.ParseJson("{\"matrix\":[[0,1,1],[0,0,1],[0,0,0]],\"ops\":[\"input\",\"conv3x3-bn-relu\",\"output\"]}");
        var options = new NasBench101NetworkOptions(stem, stacks, cells, classes, input);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => NasBench101Network.Build(spec, options));
        Assert.Equal(field, ex.ParamName);
        Assert.Contains(value, ex.Message.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public void NasBench201_LargestChannelsThatFit_Validates()
    {
        // (4C)²·9 ≤ Array.MaxLength ⇔ C ≤ 3,861.
        new NasBench201NetworkOptions(Channels: 3861).Validate();
        Assert.Throws<ArgumentOutOfRangeException>(() => new NasBench201NetworkOptions(Channels: 3862).Validate());
    }

    [Fact]
    public void Builder_ParameterTooLarge_ThrowsNamingIt()
    {
        var b = new NetworkBuilder(3, 8, 8);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => b.AddParameter("huge", ParameterKind.ConvWeight, [65_536, 65_536, 1, 1], ParameterInit.Constant(0)));
        Assert.Contains("'huge'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("4,294,967,296", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Builder_NonPositiveDimension_Throws()
    {
        var b = new NetworkBuilder(3, 8, 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => b.AddParameter("w", ParameterKind.LinearWeight, [4, -1], ParameterInit.Constant(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.AddParameter("v", ParameterKind.LinearWeight, [], ParameterInit.Constant(0)));
    }

    [Fact]
    public void Builder_InputOrActivationTooLarge_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkBuilder(3, 30_000, 30_000));
        var b = new NetworkBuilder(3, 1024, 1024);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => b.Conv2d(NetworkBuilder.Input, 4096, kernel: 1));
        Assert.Contains("values per sample", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Builder_HugePadding_DoesNotWrap()
    {
        var b = new NetworkBuilder(3, 8, 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => b.Conv2d(NetworkBuilder.Input, 4, kernel: 3, padding: int.MaxValue / 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.MaxPool(NetworkBuilder.Input, kernel: int.MaxValue, stride: 1, padding: int.MaxValue / 2));
    }

    [Fact]
    public void Builder_ConcatTooManyChannels_Throws()
    {
        var b = new NetworkBuilder(3, 256, 256);
        var x = b.Conv2d(NetworkBuilder.Input, 16_384, kernel: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => b.Concat(x, x));
    }
}
