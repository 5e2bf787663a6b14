using GradSign.Search;
using GradSign.SearchSpaces.NasBench101;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Search;

public class NasBench101SearchSpaceTests
{
    private static readonly NasBench101SearchSpace Space = new();

    private static int Edits(ModelSpec a, ModelSpec b)
    {
        var (ma, mb) = (a.OriginalMatrix, b.OriginalMatrix);
        var edges = Enumerable.Range(0, 7).Sum(i => Enumerable.Range(0, 7).Count(j => ma[i][j] != mb[i][j]));
        return edges + Enumerable.Range(0, 7).Count(v => a.OriginalOperations[v] != b.OriginalOperations[v]);
    }

    private static int[][] Matrix(params (int From, int To)[] edges)
    {
        var m = Enumerable.Range(0, 7).Select(_ => new int[7]).ToArray();
        foreach (var (from, to) in edges)
        {
            m[from][to] = 1;
        }

        return m;
    }

    private static readonly NasBench101Operation[] AllConv3 =
        [NasBench101Operation.Input, .. Enumerable.Repeat(NasBench101Operation.Conv3x3BnRelu, 5), NasBench101Operation.Output];

    [Fact]
    public void Mutate_StaysValidAndDiffersInExactlyOneEdit()
    {
        var random = new SearchRandom(1);
        for (var i = 0; i < 500; i++)
        {
            var parent = Space.Sample(random);
            Assert.True(Space.Contains(parent));
            var child = Space.Mutate(parent, random);
            Assert.True(Space.Contains(child));
            Assert.Equal(1, Edits(parent, child));
            Assert.All(Space.Neighbours(parent), n => Assert.Equal(1, Edits(parent, n)));
        }
    }

    [Fact]
    public void TryCreate_ChainAndDisconnectedAndTooManyEdges()
    {
        // input → 1 → 2 → 3 → 4 → 5 → output: 6 edges, valid, nothing pruned.
        var chain = Enumerable.Range(0, 6).Select(v => (v, v + 1)).ToArray();
        Assert.True(ModelSpec.TryCreate(Matrix(chain), AllConv3, out var spec));
        Assert.Equal(7, spec.VertexCount);
        // No edge reaches the output.
        Assert.False(ModelSpec.TryCreate(Matrix(chain[..5]), AllConv3, out _));
        // Every edge: 21 > 9.
        var all = Enumerable.Range(0, 7).SelectMany(i => Enumerable.Range(i + 1, 6 - i).Select(j => (i, j))).ToArray();
        Assert.False(ModelSpec.TryCreate(Matrix(all), AllConv3, out _));
        // Only input → output plus a dangling vertex 1 (0→1): vertex 1 is pruned, 1 edge remains.
        Assert.True(ModelSpec.TryCreate(Matrix((0, 6), (0, 1)), AllConv3, out spec));
        Assert.Equal(2, spec.VertexCount);
        Assert.Throws<ArgumentException>(() => new ModelSpec(Matrix(chain[..5]), AllConv3));
    }

    [Fact]
    public void EncodeDecode_RoundTrips()
    {
        var random = new SearchRandom(2);
        for (var i = 0; i < 100; i++)
        {
            var arch = Space.Sample(random);
            Assert.Equal(arch, Space.Decode(Space.Encode(arch)));
        }
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"matrix\":[[0]],\"ops\":[\"input\"]}")]
    [InlineData("{\"matrix\":[[0,1,0,0,0,0,0],[1,0,0,0,0,0,0],[0,0,0,0,0,0,0],[0,0,0,0,0,0,0],[0,0,0,0,0,0,0],[0,0,0,0,0,0,0],[0,0,0,0,0,0,0]],\"ops\":[\"input\",\"conv3x3-bn-relu\",\"conv3x3-bn-relu\",\"conv3x3-bn-relu\",\"conv3x3-bn-relu\",\"conv3x3-bn-relu\",\"output\"]}")]
    [InlineData("{\"matrix\":[[0,1,0,0,0,0,0],[0,0,0,0,0,0,0],[0,0,0,0,0,0,0],[0,0,0,0,0,0,0],[0,0,0,0,0,0,0],[0,0,0,0,0,0,0],[0,0,0,0,0,0,0]],\"ops\":[\"input\",\"conv5x5\",\"conv3x3-bn-relu\",\"conv3x3-bn-relu\",\"conv3x3-bn-relu\",\"conv3x3-bn-relu\",\"output\"]}")]
    public void Decode_Malformed_ThrowsFormatException(string text)
        => Assert.Throws<FormatException>(() => Space.Decode(text));

    [RequiresDataFact]
    public void Decode_BenchmarkSample_EveryCellIsValidAndPrunesToTheRecordedVertexCount()
    {
        var rows = NasBench101Sample.LoadDefault(SharedPaths.Data!);
        Assert.Equal(500, rows.Count);
        foreach (var row in rows)
        {
            var json = "{\"matrix\":[" + string.Join(",", row.Matrix.Select(r => "[" + string.Join(",", r) + "]")) + "],\"ops\":[" + string.Join(",", row.Ops.Select(o => "\"" + o + "\"")) + "]}";
            var arch = Space.Decode(json);
            Assert.True(Space.Contains(arch), row.Hash);
            Assert.Equal(row.Values["n_vertices_pruned"], arch.VertexCount);
        }
    }

    [Fact]
    public void RegularizedEvolution_OnNasBench101_RunsWithASyntheticSignal()
    {
        // Signal = number of interior 3×3 convolutions (pruned or not): evolution should find cells with several.
        var evaluator = new FuncEvaluator(a => a.OriginalOperations.Count(op => op == NasBench101Operation.Conv3x3BnRelu));
        var result = new RegularizedEvolution<ModelSpec>().Search(Space, evaluator, 60, new SearchRandom(3));
        Assert.Equal(60, evaluator.Calls);
        Assert.True(result.BestSignal >= 4);
    }

    private sealed class FuncEvaluator(Func<ModelSpec, double> f) : IArchitectureEvaluator<ModelSpec>
    {
        public int Calls { get; private set; }

        public double Evaluate(ModelSpec arch)
        {
            Calls++;
            return f(arch);
        }
    }
}
