using GradSign.Networks;
using GradSign.SearchSpaces.NasBench201;
using Op = GradSign.SearchSpaces.NasBench201.NasBench201Operation;

namespace GradSign.Tests.SearchSpaces.NasBench201;

public class NasBench201NetworkTests
{
    private const string Best = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";
    private static readonly NasBench201NetworkOptions Official = new(Variant: NasBench201Variant.Official);

    // spec/NETWORKS.md §1.8 (official TinyNetwork, BN gamma/beta counted).
    [Theory]
    [InlineData("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|", 10, 1_531_546)]
    [InlineData("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|", 100, 1_537_396)]
    [InlineData("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|", 120, 1_538_696)]
    [InlineData(Best, 10, 1_288_506)]
    [InlineData("|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|", 10, 73_306)]
    [InlineData("|avg_pool_3x3~0|+|avg_pool_3x3~0|avg_pool_3x3~1|+|avg_pool_3x3~0|avg_pool_3x3~1|avg_pool_3x3~2|", 10, 73_306)]
    [InlineData("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", 10, 73_306)]
    [InlineData("|avg_pool_3x3~0|+|none~0|skip_connect~1|+|skip_connect~0|none~1|avg_pool_3x3~2|", 10, 73_306)]
    public void Build_Official_ParameterCountMatchesBenchmark(string arch, int classes, long expected)
        => Assert.Equal(expected, NasBench201Network.Build(arch, Official with { NumClasses = classes }).ParameterCount);

    [Fact]
    public void Build_Official_UsesTinyNetworkNames()
    {
        var spec = NasBench201Network.Build(Best, Official);
        var names = spec.Parameters.Select(p => p.Name).ToList();
        Assert.Equal("stem.0.weight", names[0]);
        Assert.Equal(["stem.1.weight", "stem.1.bias"], names[1..3]);
        Assert.Equal("cells.0.layers.0.op.1.weight", names[3]);
        Assert.Equal("cells.0.layers.0.op.2.weight", names[4]);
        Assert.DoesNotContain("cells.0.layers.3.op.1.weight", names); // skip_connect has no parameters
        var convA = names.IndexOf("cells.5.conv_a.op.1.weight");
        Assert.True(convA > 0);
        Assert.True(names.IndexOf("cells.5.conv_b.op.2.bias") > convA);
        Assert.True(names.IndexOf("cells.5.downsample.1.weight") > names.IndexOf("cells.5.conv_b.op.2.bias"));
        Assert.Contains("cells.16.layers.5.op.1.weight", names);
        Assert.Equal(["lastact.0.weight", "lastact.0.bias", "classifier.weight", "classifier.bias"], names[^4..]);
        Assert.All(spec.Layers.OfType<Conv2dLayer>(), c => Assert.Null(c.Bias));
        Assert.All(spec.Layers.OfType<BatchNormLayer>(), bn => Assert.True(bn.Affine && bn.Removable));
    }

    [Fact]
    public void Build_ZeroCostNas_CellConvsHaveBiasAndNonAffineBn_ReductionBnNotRemovable()
    {
        var spec = NasBench201Network.Build(Best, new NasBench201NetworkOptions(Channels: 8, CellsPerStage: 1));
        var convs = spec.Layers.OfType<Conv2dLayer>().ToList();
        Assert.All(convs.Where(c => c.Name.StartsWith("stack_cell", StringComparison.Ordinal)), c => Assert.NotNull(c.Bias));
        Assert.All(convs.Where(c => !c.Name.StartsWith("stack_cell", StringComparison.Ordinal)), c => Assert.Null(c.Bias));
        var bns = spec.Layers.OfType<BatchNormLayer>().ToList();
        Assert.All(bns.Where(b => b.Name.StartsWith("stack_cell", StringComparison.Ordinal)), b => Assert.False(b.Affine));
        Assert.Equal(4, bns.Count(b => !b.Removable));
        Assert.All(bns.Where(b => !b.Removable), b => Assert.StartsWith("reduction", b.Name, StringComparison.Ordinal));
        Assert.Equal(["reduction1.residual.1.weight", "reduction1.conv_a.op.1.weight"],
            spec.Parameters.Select(p => p.Name).Where(n => n.StartsWith("reduction1.", StringComparison.Ordinal)).Take(2));
    }

    [Fact]
    public void Build_ReluFlags_CellAndReductionReluWrapped_TopNot()
    {
        var spec = NasBench201Network.Build(Best, new NasBench201NetworkOptions(Channels: 8, CellsPerStage: 1));
        var relus = spec.Layers.OfType<ReluLayer>().ToList();
        Assert.False(relus[^1].WrapperNamedRelu);
        Assert.Equal("top.lastact.1", relus[^1].Name);
        // 5 convs per cell x 3 cells + 2 per reduction x 2.
        Assert.Equal(19, relus.Count(r => r.WrapperNamedRelu));
        Assert.Equal(20, relus.Count);
    }

    [Fact]
    public void Build_AllNone_ZeroLayersStayInGraphAndNodesAreSums()
    {
        var spec = NasBench201Network.Build(NasBench201Cell.Uniform(Op.None), new NasBench201NetworkOptions(Channels: 8, CellsPerStage: 1));
        Assert.Equal(18, spec.Layers.OfType<ZeroLayer>().Count());
        var node3 = spec.Layers.OfType<AddLayer>().Single(l => l.Name == "stack_cell1.0.node3");
        Assert.Equal(3, node3.Inputs.Count);
        Assert.All(node3.Inputs, i => Assert.IsType<ZeroLayer>(spec.Layers[i]));
        Assert.DoesNotContain(spec.Parameters, p => p.Name.StartsWith("stack_cell", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_NodeSumsInIncreasingSourceOrder()
    {
        var spec = NasBench201Network.Build(Best, new NasBench201NetworkOptions(Channels: 8, CellsPerStage: 1));
        var node3 = spec.Layers.OfType<AddLayer>().Single(l => l.Name == "stack_cell1.0.node3");
        // skip_connect from node0 (the cell input = stem BN output), then conv from node1, conv from node2.
        Assert.Equal("stem.net.1", spec.Layers[node3.Inputs[0]].Name);
        Assert.Equal("stack_cell1.0.options.22.op.2", spec.Layers[node3.Inputs[1]].Name);
        Assert.Equal("stack_cell1.0.options.27.op.2", spec.Layers[node3.Inputs[2]].Name);
    }

    [Fact]
    public void Build_ImageNet16_ShapesHalve()
    {
        var spec = NasBench201Network.Build(Best, new NasBench201NetworkOptions(NumClasses: 120, InputSize: 16));
        Assert.Equal([3, 16, 16], spec.InputShape);
        Assert.Equal(120, spec.NumClasses);
        Assert.Equal([64, 4, 4], spec.Layers.OfType<BatchNormLayer>().Last().OutputShape);
    }

    [Theory]
    [InlineData(0, 5, 10, 32, "Channels")]
    [InlineData(16, 0, 10, 32, "CellsPerStage")]
    [InlineData(16, 5, 0, 32, "NumClasses")]
    [InlineData(16, 5, 10, 30, "InputSize")]
    [InlineData(16, 5, 10, 0, "InputSize")]
    public void Build_BadOptions_ThrowNamingField(int c, int n, int classes, int size, string field)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => NasBench201Network.Build(Best, new NasBench201NetworkOptions(c, n, classes, size)));
        Assert.Equal(field, ex.ParamName);
    }

    [Fact]
    public void Build_UndefinedVariant_Throws()
        => Assert.Equal("Variant", Assert.Throws<ArgumentOutOfRangeException>(() => NasBench201Network.Build(Best, new NasBench201NetworkOptions(Variant: (NasBench201Variant)5))).ParamName);

    [Fact]
    public void Build_MalformedArch_ThrowsFormatException()
        => Assert.Throws<FormatException>(() => NasBench201Network.Build("|bad~0|"));
}
