using GradSign.Data;
using GradSign.Search;
using GradSign.SearchSpaces.NasBench101;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Search;

public class NasBench101SearchSpaceTests
{
    private static readonly NasBench101SearchSpace Space = new();

    private static int Edits(NasBench101Genotype a, NasBench101Genotype b)
    {
        var edges = System.Numerics.BitOperations.PopCount((uint)(a.EdgeBits ^ b.EdgeBits));
        var ops = Enumerable.Range(1, 5).Count(v => a.OperationOf(v) != b.OperationOf(v));
        return edges + ops;
    }

    [Fact]
    public void EdgeIndex_CoversTheUpperTriangleInRowMajorOrder()
    {
        var seen = new List<int>();
        for (var from = 0; from < 7; from++)
        {
            for (var to = from + 1; to < 7; to++)
            {
                seen.Add(NasBench101Genotype.EdgeIndex(from, to));
            }
        }

        Assert.Equal(Enumerable.Range(0, 21), seen);
        Assert.Throws<ArgumentOutOfRangeException>(() => NasBench101Genotype.EdgeIndex(3, 3));
    }

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
    public void IsValid_ChainAndDisconnectedAndTooManyEdges()
    {
        // input → 1 → 2 → 3 → 4 → 5 → output: 6 edges, valid, nothing pruned.
        var chain = 0;
        for (var v = 0; v < 6; v++)
        {
            chain |= 1 << NasBench101Genotype.EdgeIndex(v, v + 1);
        }

        Assert.True(NasBench101SearchSpace.IsValid(new NasBench101Genotype(chain, 0), out var kept));
        Assert.Equal(7, kept);
        // No edge reaches the output.
        Assert.False(NasBench101SearchSpace.IsValid(new NasBench101Genotype(chain & ~(1 << NasBench101Genotype.EdgeIndex(5, 6)), 0)));
        // Every edge: 21 > 9.
        Assert.False(NasBench101SearchSpace.IsValid(new NasBench101Genotype((1 << 21) - 1, 0)));
        // Only input → output plus a dangling vertex 1 (0→1): vertex 1 is pruned, 1 edge remains.
        var direct = (1 << NasBench101Genotype.EdgeIndex(0, 6)) | (1 << NasBench101Genotype.EdgeIndex(0, 1));
        Assert.True(NasBench101SearchSpace.IsValid(new NasBench101Genotype(direct, 0), out kept));
        Assert.Equal(2, kept);
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
            Assert.True(NasBench101SearchSpace.IsValid(arch, out var kept), row.Hash);
            Assert.Equal(row.Values["n_vertices_pruned"], kept);
        }
    }

    [Fact]
    public void RegularizedEvolution_OnNasBench101_RunsWithASyntheticSignal()
    {
        // Signal = number of interior 3×3 convolutions (pruned or not): evolution should find cells with several.
        var evaluator = new FuncEvaluator(a => Enumerable.Range(1, 5).Count(v => a.OperationOf(v) == 0));
        var result = new RegularizedEvolution<NasBench101Genotype>().Search(Space, evaluator, 60, new SearchRandom(3));
        Assert.Equal(60, evaluator.Calls);
        Assert.True(result.BestSignal >= 4);
    }

    private sealed class FuncEvaluator(Func<NasBench101Genotype, double> f) : IArchitectureEvaluator<NasBench101Genotype>
    {
        public int Calls { get; private set; }

        public double Evaluate(NasBench101Genotype arch)
        {
            Calls++;
            return f(arch);
        }
    }
}
