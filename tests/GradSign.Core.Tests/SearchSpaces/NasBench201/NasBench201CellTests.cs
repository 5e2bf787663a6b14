using System.Globalization;
using System.IO.Compression;
using CsvHelper;
using GradSign.SearchSpaces.NasBench201;
using GradSign.Tests.Infrastructure;
using Op = GradSign.SearchSpaces.NasBench201.NasBench201Operation;

namespace GradSign.Tests.SearchSpaces.NasBench201;

public class NasBench201CellTests
{
    private const string Best = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";

    [Fact]
    public void Parse_BestCell_OperationsInStringEdgeOrder()
    {
        var cell = NasBench201Cell.Parse(Best);
        Assert.Equal([Op.NorConv3x3, Op.NorConv3x3, Op.NorConv3x3, Op.SkipConnect, Op.NorConv3x3, Op.NorConv3x3], cell.Operations);
        Assert.Equal(Op.SkipConnect, cell.OperationOn(0, 3));
        Assert.Equal(Best, cell.ToString());
    }

    [Fact]
    public void Edges_StringOrder_MatchesSpec()
        => Assert.Equal(
            [new NasBench201Edge(0, 1), new(0, 2), new(1, 2), new(0, 3), new(1, 3), new(2, 3)],
            NasBench201Edge.All);

    [Fact]
    public void RoundTrip_All15625Cells_StringAndCodeIdentity()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var code = 0;
        foreach (var cell in NasBench201Cell.All)
        {
            Assert.Equal(code, cell.Code);
            var s = cell.ToString();
            Assert.True(seen.Add(s));
            var back = NasBench201Cell.Parse(s);
            Assert.Equal(cell, back);
            Assert.Equal(s, back.ToString());
            Assert.Equal(cell, NasBench201Cell.FromCode(code));
            code++;
        }

        Assert.Equal(NasBench201Cell.CellCount, seen.Count);
        Assert.Equal(NasBench201Cell.Uniform(Op.None), NasBench201Cell.FromCode(0));
        Assert.Equal(NasBench201Cell.Uniform(Op.AvgPool3x3), NasBench201Cell.FromCode(15_624));
    }

    [Theory]
    [InlineData("", "3 '+'-separated")]
    [InlineData("|none~0|+|none~0|none~1|", "found 2")]
    [InlineData("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|+|none~0|", "found 4")]
    [InlineData("none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "node 1 group 'none~0|'")]
    [InlineData("|none~0|+|none~0|+|none~0|none~1|none~2|", "node 2 group '|none~0|' must have 2")]
    [InlineData("|none~0|+|none~0|none~1|+|none~0|none~1|", "node 3 group")]
    [InlineData("|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|", "unknown operation 'conv'")]
    [InlineData("|none~0|+|none~0|NONE~1|+|none~0|none~1|none~2|", "unknown operation 'NONE'")]
    [InlineData("|none~1|+|none~0|none~1|+|none~0|none~1|none~2|", "node 1 token 'none~1'")]
    [InlineData("|none~0|+|none~1|none~0|+|none~0|none~1|none~2|", "node 2 token 'none~1'")]
    [InlineData("|none~0|+|none~0|none~1|+|none~0|none~1|none2|", "node 3 token 'none2'")]
    [InlineData("|none~0|+|none~0|none~1|+|none~0|none~1|none~02|", "node 3 token 'none~02'")]
    [InlineData("|none~0| +|none~0|none~1|+|none~0|none~1|none~2|", "node 1 group")]
    public void Parse_Malformed_ThrowsFormatExceptionNamingPart(string arch, string fragment)
    {
        var ex = Assert.Throws<FormatException>(() => NasBench201Cell.Parse(arch));
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        Assert.False(NasBench201Cell.TryParse(arch, out var cell));
        Assert.Null(cell);
    }

    [Fact]
    public void Parse_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => NasBench201Cell.Parse(null!));
        Assert.False(NasBench201Cell.TryParse(null, out _));
    }

    [Fact]
    public void Constructor_WrongCountOrUndefinedOp_Throws()
    {
        Assert.Contains("got 5", Assert.Throws<ArgumentException>(() => new NasBench201Cell([Op.None, Op.None, Op.None, Op.None, Op.None])).Message, StringComparison.Ordinal);
        Assert.Contains("Edge 2", Assert.Throws<ArgumentException>(() => new NasBench201Cell([Op.None, Op.None, (Op)7, Op.None, Op.None, Op.None])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => NasBench201Cell.FromCode(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => NasBench201Cell.FromCode(15_625));
    }

    [Fact]
    public void Operations_ParseAndNames_RoundTrip()
    {
        foreach (var op in NasBench201Operations.All)
        {
            Assert.Equal(op, NasBench201Operations.Parse(op.ToArchName()));
        }

        Assert.Throws<FormatException>(() => NasBench201Operations.Parse("conv3x3"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ((Op)9).ToArchName());
    }

    [Fact]
    public void Neighbours_Best_24DistinctSingleEdgeMutations()
    {
        var cell = NasBench201Cell.Parse(Best);
        var neighbours = cell.Neighbours();
        Assert.Equal(24, neighbours.Count);
        Assert.Equal(24, neighbours.Distinct().Count());
        foreach (var n in neighbours)
        {
            Assert.Equal(1, Enumerable.Range(0, 6).Count(e => n[e] != cell[e]));
        }

        var mutated = new HashSet<NasBench201Cell>();
        for (var e = 0; e < 6; e++)
        {
            for (var k = 0; k < 4; k++)
            {
                mutated.Add(cell.Mutate(e, k));
            }
        }

        Assert.True(mutated.SetEquals(neighbours));
        Assert.Throws<ArgumentOutOfRangeException>(() => cell.Mutate(6, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => cell.Mutate(0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => cell.WithOperation(-1, Op.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => cell.WithOperation(0, (Op)5));
    }

    [Theory]
    [InlineData("|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|", new[] { 0, 2 })]
    [InlineData("|nor_conv_3x3~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|none~0|none~1|none~2|", new[] { 0, 1, 2 })]
    [InlineData(Best, new int[0])]
    [InlineData("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", new int[0])]
    [InlineData("|none~0|+|none~0|skip_connect~1|+|none~0|none~1|skip_connect~2|", new[] { 2, 5 })]
    public void DeadEdges_Examples(string arch, int[] expected)
        => Assert.Equal(expected, NasBench201Cell.Parse(arch).DeadEdges);

    [Fact]
    public void IsDisconnected_DeadOutAndAllNone_True()
    {
        Assert.True(NasBench201Cell.Parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|none~0|none~1|none~2|").IsDisconnected);
        Assert.True(NasBench201Cell.Uniform(Op.None).IsDisconnected);
        Assert.False(NasBench201Cell.Parse(Best).IsDisconnected);
    }

    [Fact]
    public void IsomorphismKey_SkipRerouting_SharesKey()
    {
        // node1 = identity of the input, so a conv on 0->2 and the same conv on 1->2 compute the same function.
        var a = NasBench201Cell.Parse("|skip_connect~0|+|nor_conv_3x3~0|none~1|+|nor_conv_1x1~0|none~1|skip_connect~2|");
        var b = NasBench201Cell.Parse("|skip_connect~0|+|none~0|nor_conv_3x3~1|+|nor_conv_1x1~0|none~1|skip_connect~2|");
        Assert.Equal(a.IsomorphismKey(), b.IsomorphismKey());
        Assert.NotEqual(a.IsomorphismKey(), NasBench201Cell.Parse(Best).IsomorphismKey());
    }

    [RequiresDataFact]
    public void DataTable_AllRows_ArchRoundTripsAndKeysMatchUniqueStrAndDeadEdgeColumn()
    {
        var path = Path.Combine(SharedPaths.Data!, "nas-bench-201", "nb201.csv.gz");
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var cells = new HashSet<NasBench201Cell>();
        var rows = 0;
        while (csv.Read())
        {
            var arch = csv.GetField("arch")!;
            var cell = NasBench201Cell.Parse(arch);
            Assert.Equal(arch, cell.ToString());
            Assert.Equal(csv.GetField("unique_str"), cell.IsomorphismKey());
            Assert.Equal(bool.Parse(csv.GetField("has_dead_edge")!), cell.HasDeadEdge);
            keys.Add(cell.IsomorphismKey());
            cells.Add(cell);
            rows++;
        }

        Assert.Equal(15_625, rows);
        Assert.Equal(15_625, cells.Count);
        Assert.Equal(6_466, keys.Count);
    }

    [Fact]
    public void IsomorphismKey_AllCells_6466Classes()
        => Assert.Equal(6_466, NasBench201Cell.All.Select(c => c.IsomorphismKey()).Distinct(StringComparer.Ordinal).Count());
}
