using GradSign.Networks;
using GradSign.SearchSpaces.NasBench101;

namespace GradSign.Tests.SearchSpaces.NasBench101;

public class NasBench101NetworkTests
{
    // spec/NETWORKS.md §2.7 (google-research/nasbench#23).
    private static readonly ModelSpec Issue23 = new(
        [[0, 1, 1, 0, 0, 1, 1], [0, 0, 0, 0, 0, 1, 0], [0, 0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0]],
        ["input", "conv1x1-bn-relu", "conv3x3-bn-relu", "maxpool3x3", "conv3x3-bn-relu", "conv3x3-bn-relu", "output"]);

    // spec/NETWORKS.md §2.3 example: the output fed by 5 interior vertices (10 edges: a raw matrix, not a valid spec).
    private static readonly int[][] FiveToOutput =
        [[0, 1, 1, 1, 1, 1, 0], [0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0]];

    // fixtures_ext nb101_d0_concat3_trunc.
    private static readonly ModelSpec D0 = new(
        [[0, 1, 1, 0, 0, 0, 1], [0, 0, 0, 1, 0, 0, 1], [0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0]],
        ["input", "conv3x3-bn-relu", "conv1x1-bn-relu", "maxpool3x3", "conv3x3-bn-relu", "conv1x1-bn-relu", "output"]);

    [Fact]
    public void Build_Issue23Spec_Has32426634Parameters()
        => Assert.Equal(32_426_634, NasBench101Network.Build(Issue23).ParameterCount);

    [Fact]
    public void ComputeVertexChannels_SpecExamples()
    {
        Assert.Equal([128, 26, 26, 26, 25, 25, 128], NasBench101Network.ComputeVertexChannels(128, 128, FiveToOutput));
        Assert.Equal([128, 52, 51, 51, 51, 51, 256], NasBench101Network.ComputeVertexChannels(128, 256, FiveToOutput));
        Assert.Equal([16, 6, 5, 5, 5, 5, 16], NasBench101Network.ComputeVertexChannels(16, 16, D0));
        Assert.Equal([16, 11, 11, 10, 11, 10, 32], NasBench101Network.ComputeVertexChannels(16, 32, D0));
        Assert.Equal([32, 22, 21, 21, 21, 21, 64], NasBench101Network.ComputeVertexChannels(32, 64, D0));
    }

    [Fact]
    public void ComputeVertexChannels_BadMatrix_Throws()
    {
        Assert.Throws<ArgumentException>(() => NasBench101Network.ComputeVertexChannels(8, 8, new int[][] { [0, 1], [0] }));
        Assert.Contains("No interior vertex", Assert.Throws<ArgumentException>(() => NasBench101Network.ComputeVertexChannels(8, 8, new int[][] { [0, 1, 1], [0, 0, 0], [0, 0, 0] })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => NasBench101Network.ComputeVertexChannels(0, 8, D0));
    }

    [Fact]
    public void ComputeVertexChannels_TwoVertices_InputAndOutputOnly()
        => Assert.Equal([16, 32], NasBench101Network.ComputeVertexChannels(16, 32, new ModelSpec([[0, 1], [0, 0]], ["input", "output"])));

    [Fact]
    public void Build_D0_NamesOrderAndTruncation()
    {
        var spec = NasBench101Network.Build(D0, new NasBench101NetworkOptions(StemChannels: 16, CellsPerStack: 1));
        var names = spec.Parameters.Select(p => p.Name).ToList();
        Assert.Equal("layers.0.conv_bn_relu.0.weight", names[0]);
        Assert.Equal("layers.1.vertex_op.1.conv3x3.conv_bn_relu.0.weight", names[3]);
        Assert.True(names.IndexOf("layers.1.vertex_op.5.conv1x1.conv_bn_relu.1.bias") < names.IndexOf("layers.1.input_op.1.conv_bn_relu.0.weight"));
        Assert.Contains("layers.5.input_op.6.conv_bn_relu.0.weight", names);
        Assert.Equal(["classifier.weight", "classifier.bias"], names[^2..]);
        Assert.Equal(18_713, spec.ParameterCount);
        Assert.Equal(3, spec.Layers.OfType<TruncateLayer>().Count()); // 1->3 in each of the 3 cells (6->5, 11->10, 22->21)
        Assert.Equal(3, spec.Layers.OfType<ConcatLayer>().Count());
        Assert.Equal(2, spec.Layers.OfType<PoolLayer>().Count(p => p.Kind == PoolKind.Max && p.Kernel == 2));
        Assert.All(spec.Layers.OfType<ReluLayer>(), r => Assert.False(r.WrapperNamedRelu));
        Assert.All(spec.Layers.OfType<BatchNormLayer>(), b => Assert.True(b.Removable && b.Affine));
        Assert.IsType<GlobalAvgPoolLayer>(spec.Layers[spec.Layers[^1].Inputs[0]]); // no BN/ReLU before the head
    }

    [Fact]
    public void Build_SkipOneVertex_OutputIsOutOfPlaceAddOfVertexAndProjection()
    {
        var spec = NasBench101Network.Build(new ModelSpec([[0, 1, 1], [0, 0, 1], [0, 0, 0]], ["input", "conv3x3-bn-relu", "output"]), new NasBench101NetworkOptions(StemChannels: 16, CellsPerStack: 1));
        var add = spec.Layers.OfType<AddLayer>().Single(a => a.Name == "layers.1.output.add");
        Assert.Equal("layers.1.vertex_op.1.conv3x3.conv_bn_relu.2", spec.Layers[add.Inputs[0]].Name);
        Assert.Equal("layers.1.input_op.2.conv_bn_relu.2", spec.Layers[add.Inputs[1]].Name);
    }

    [Fact]
    public void Build_InputOnlyToOutput_CellIsProjection()
    {
        var spec = NasBench101Network.Build(new ModelSpec([[0, 1], [0, 0]], ["input", "output"]), new NasBench101NetworkOptions(StemChannels: 8, CellsPerStack: 1));
        Assert.Equal(["layers.0.conv_bn_relu.0.weight", "layers.0.conv_bn_relu.1.weight", "layers.0.conv_bn_relu.1.bias", "layers.1.input_op.1.conv_bn_relu.0.weight"],
            spec.Parameters.Take(4).Select(p => p.Name));
    }

    [Fact]
    public void Initialize_Nb101_HeFanOutNormalLinearSmallBiasZeroBnOnes()
    {
        var spec = NasBench101Network.Build(Issue23, new NasBench101NetworkOptions(StemChannels: 16));
        var w = NetworkWeights.Initialize(spec, 7);
        foreach (var p in spec.Parameters)
        {
            var v = w[p.Index];
            switch (p.Kind)
            {
                case ParameterKind.ConvWeight:
                    Assert.Equal(InitDistribution.Normal, p.Init.Distribution);
                    Assert.Equal(Math.Sqrt(2.0 / (p.Shape[2] * p.Shape[3] * p.Shape[0])), p.Init.Scale, 12);
                    break;
                case ParameterKind.LinearWeight:
                    Assert.Equal(ParameterInit.Normal(0.01), p.Init);
                    break;
                case ParameterKind.LinearBias or ParameterKind.BatchNormBias:
                    Assert.All(v, x => Assert.Equal(0f, x));
                    break;
                case ParameterKind.BatchNormWeight:
                    Assert.All(v, x => Assert.Equal(1f, x));
                    break;
            }
        }

        // The largest conv tensor's sample standard deviation is close to its nominal value.
        var big = spec.Parameters.Where(p => p.Kind == ParameterKind.ConvWeight).MaxBy(p => p.ElementCount)!;
        var values = w[big.Index];
        var std = Math.Sqrt(values.Sum(x => (double)x * x) / values.Length);
        Assert.InRange(std / big.Init.Scale, 0.95, 1.05);
        Assert.Equal(values, NetworkWeights.Initialize(spec, 7)[big.Index]);
    }

    [Theory]
    [InlineData(0, 3, 3, 10, 32, "StemChannels")]
    [InlineData(16, 0, 3, 10, 32, "Stacks")]
    [InlineData(16, 3, 0, 10, 32, "CellsPerStack")]
    [InlineData(16, 3, 3, 0, 32, "NumClasses")]
    [InlineData(16, 3, 3, 10, 30, "InputSize")]
    public void Build_BadOptions_ThrowNamingField(int stem, int stacks, int cells, int classes, int size, string field)
        => Assert.Equal(field, Assert.Throws<ArgumentOutOfRangeException>(() => NasBench101Network.Build(D0, new NasBench101NetworkOptions(stem, stacks, cells, classes, size))).ParamName);
}
