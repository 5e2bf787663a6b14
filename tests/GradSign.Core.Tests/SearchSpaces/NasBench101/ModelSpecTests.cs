using GradSign.SearchSpaces.NasBench101;

namespace GradSign.Tests.SearchSpaces.NasBench101;

public class ModelSpecTests
{
    private static readonly string[] Ops3 = ["input", "conv3x3-bn-relu", "output"];

    private static int[][] M(params int[][] rows) => rows;

    [Fact]
    public void Constructor_ValidSpec_KeepsEverything()
    {
        var spec = new ModelSpec(M([0, 1, 1], [0, 0, 1], [0, 0, 0]), Ops3);
        Assert.Equal(3, spec.VertexCount);
        Assert.Equal(3, spec.EdgeCount);
        Assert.Equal([NasBench101Operation.Input, NasBench101Operation.Conv3x3BnRelu, NasBench101Operation.Output], spec.Operations);
        Assert.Equal("{\"matrix\":[[0,1,1],[0,0,1],[0,0,0]],\"ops\":[\"input\",\"conv3x3-bn-relu\",\"output\"]}", spec.ToJson());
    }

    [Fact]
    public void Constructor_FixtureD1_PrunesToFourVertices()
    {
        // fixtures_ext nb101_d1_pruned: vertex 3 is a dead end, 4 and 5 are unreachable from the input.
        var matrix = M(
            [0, 1, 0, 0, 0, 0, 0],
            [0, 0, 1, 1, 0, 0, 1],
            [0, 0, 0, 0, 0, 0, 1],
            [0, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 0, 0, 1, 0],
            [0, 0, 0, 0, 0, 0, 1],
            [0, 0, 0, 0, 0, 0, 0]);
        var spec = new ModelSpec(matrix, ["input", "conv1x1-bn-relu", "conv3x3-bn-relu", "maxpool3x3", "conv3x3-bn-relu", "conv1x1-bn-relu", "output"]);
        Assert.Equal(4, spec.VertexCount);
        Assert.Equal([[0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 0, 1], [0, 0, 0, 0]], spec.Matrix);
        Assert.Equal(7, spec.OriginalOperations.Count);
        Assert.Equal(7, spec.OriginalMatrix.Length);
    }

    [Fact]
    public void ParseJson_RoundTrip()
    {
        var json = "{\"matrix\":[[0,1,0,1],[0,0,1,0],[0,0,0,1],[0,0,0,0]],\"ops\":[\"input\",\"maxpool3x3\",\"conv1x1-bn-relu\",\"output\"]}";
        Assert.Equal(json, ModelSpec.ParseJson(json).ToJson());
    }

    [Theory]
    [InlineData("{\"matrix\":[[0,1],[0,0]],\"ops\":[\"input\",\"output\"]", "not valid JSON")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("{\"ops\":[\"input\",\"output\"]}", "'matrix'")]
    [InlineData("{\"matrix\":[[0,1],[0,0]]}", "'ops'")]
    [InlineData("{\"matrix\":[[0,1],5],\"ops\":[\"input\",\"output\"]}", "matrix row 1")]
    [InlineData("{\"matrix\":[[0,\"x\"],[0,0]],\"ops\":[\"input\",\"output\"]}", "matrix[0][1]")]
    [InlineData("{\"matrix\":[[0,1.5],[0,0]],\"ops\":[\"input\",\"output\"]}", "matrix[0][1]")]
    [InlineData("{\"matrix\":[[0,1],[0,0]],\"ops\":[\"input\",\"conv5x5\"]}", "ops[1]")]
    [InlineData("{\"matrix\":[[0,1],[0,0]],\"ops\":[\"input\",3]}", "ops[1]")]
    public void ParseJson_Malformed_ThrowsFormatExceptionNamingPart(string json, string fragment)
        => Assert.Contains(fragment, Assert.Throws<FormatException>(() => ModelSpec.ParseJson(json)).Message, StringComparison.Ordinal);

    public static TheoryData<int[][], string[], string> InvalidSpecs() => new()
    {
        { M([0]), ["input"], "1 vertices" },
        { M([0, 1, 0, 0, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0]),
            ["input", "maxpool3x3", "maxpool3x3", "maxpool3x3", "maxpool3x3", "maxpool3x3", "maxpool3x3", "output"], "8 vertices" },
        { M([0, 1, 1], [0, 0], [0, 0, 0]), Ops3, "matrix row 1 has 2 entries" },
        { M([0, 2, 1], [0, 0, 1], [0, 0, 0]), Ops3, "matrix[0][1] = 2" },
        { M([0, 1, 1], [0, 0, 1], [0, 1, 0]), Ops3, "matrix[2][1] = 1 is on or below the diagonal" },
        { M([1, 1, 1], [0, 0, 1], [0, 0, 0]), Ops3, "matrix[0][0] = 1" },
        { M([0, 1, 1], [0, 0, 1], [0, 0, 0]), ["input", "output"], "ops has 2 entries" },
        { M([0, 1, 1], [0, 0, 1], [0, 0, 0]), ["conv3x3-bn-relu", "conv3x3-bn-relu", "output"], "ops[0] = 'conv3x3-bn-relu'; vertex 0 must be 'input'" },
        { M([0, 1, 1], [0, 0, 1], [0, 0, 0]), ["input", "conv3x3-bn-relu", "maxpool3x3"], "ops[2] = 'maxpool3x3'; vertex 2 must be 'output'" },
        { M([0, 1, 1], [0, 0, 1], [0, 0, 0]), ["input", "output", "output"], "ops[1] = 'output'; interior" },
        { M([0, 1, 1], [0, 0, 1], [0, 0, 0]), ["input", "input", "output"], "ops[1] = 'input'; interior" },
        { M([0, 1, 1], [0, 0, 1], [0, 0, 0]), ["input", "conv5x5", "output"], "ops[1] = 'conv5x5'" },
        { M([0, 1, 0], [0, 0, 0], [0, 0, 0]), Ops3, "not reachable" },
        {
            M([0, 1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0]),
            ["input", "conv3x3-bn-relu", "conv3x3-bn-relu", "conv3x3-bn-relu", "conv3x3-bn-relu", "conv3x3-bn-relu", "output"], "15 edges"
        },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void Constructor_Invalid_ThrowsArgumentExceptionNamingPart(int[][] matrix, string[] ops, string fragment)
        => Assert.Contains(fragment, Assert.Throws<ArgumentException>(() => new ModelSpec(matrix, ops)).Message, StringComparison.Ordinal);

    [Fact]
    public void Constructor_TenEdgesPrunedToNine_IsValid()
    {
        // 10 edges as given; vertex 5 cannot reach the output and is pruned with its 2 edges (the API checks the
        // edge limit on the pruned spec).
        var matrix = M(
            [0, 1, 1, 1, 0, 0, 0],
            [0, 0, 0, 0, 1, 1, 0],
            [0, 0, 0, 0, 1, 0, 1],
            [0, 0, 0, 0, 0, 1, 1],
            [0, 0, 0, 0, 0, 0, 1],
            [0, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 0, 0, 0, 0]);
        var spec = new ModelSpec(matrix, ["input", "conv3x3-bn-relu", "conv3x3-bn-relu", "conv3x3-bn-relu", "conv3x3-bn-relu", "maxpool3x3", "output"]);
        Assert.Equal(6, spec.VertexCount);
        Assert.Equal(8, spec.EdgeCount);
    }
}
