using GradSign.Search;

namespace GradSign.Tests.Search;

public class EdgeOperationSpaceTests
{
    [Fact]
    public void Mutate_Unrestricted_StaysValidAndDiffersInExactlyOneEdge()
    {
        var space = ToyProblems.Grid();
        var random = new SearchRandom(1);
        for (var i = 0; i < 2000; i++)
        {
            var parent = space.Sample(random);
            var child = space.Mutate(parent, random);
            Assert.True(space.Contains(child));
            Assert.Equal(1, ToyProblems.EdgesDiffering(space, parent, child));
        }
    }

    [Fact]
    public void Mutate_Unrestricted_IsUniformOverTheTwentyFourNeighbours()
    {
        var space = ToyProblems.Grid();
        var random = new SearchRandom(2);
        const int parent = 1234;
        var neighbours = space.Neighbours(parent);
        var counts = neighbours.ToDictionary(n => n, _ => 0);
        const int draws = 48_000;
        for (var i = 0; i < draws; i++)
        {
            counts[space.Mutate(parent, random)]++;
        }

        // Each of 24 neighbours expects 2000 draws; sd ≈ 44, so ±250 is > 5 sd.
        Assert.All(counts.Values, c => Assert.InRange(c, 1750, 2250));
    }

    [Fact]
    public void Neighbours_Unrestricted_AreTwentyFourDistinctSingleEdgeChanges()
    {
        var space = ToyProblems.Grid();
        var neighbours = space.Neighbours(777);
        Assert.Equal(24, neighbours.Count);
        Assert.Equal(24, neighbours.Distinct().Count());
        Assert.All(neighbours, n => Assert.Equal(1, ToyProblems.EdgesDiffering(space, 777, n)));
    }

    [Fact]
    public void Mutate_Restricted_StaysInsideAndDiffersInOneEdgeWhenANeighbourExists()
    {
        var allowed = Enumerable.Range(0, 15625).Where(c => c % 3 != 0).ToArray();
        var space = new EdgeOperationSpace(6, 5, allowed);
        Assert.Equal(allowed.Length, space.Count);
        Assert.False(space.Contains(3));
        var random = new SearchRandom(3);
        for (var i = 0; i < 2000; i++)
        {
            var parent = space.Sample(random);
            Assert.True(space.Contains(parent));
            var child = space.Mutate(parent, random);
            Assert.True(space.Contains(child));
            Assert.Equal(1, ToyProblems.EdgesDiffering(space, parent, child));
            Assert.All(space.Neighbours(parent), n => Assert.True(space.Contains(n)));
        }
    }

    [Fact]
    public void Mutate_RestrictedWithEveryCell_DrawsLikeTheUnrestrictedSpace()
    {
        var full = ToyProblems.Grid();
        var all = new EdgeOperationSpace(6, 5, Enumerable.Range(0, 15625));
        var a = new SearchRandom(4);
        var b = new SearchRandom(4);
        for (var i = 0; i < 500; i++)
        {
            var parent = full.Sample(a);
            Assert.Equal(parent, all.Sample(b));
            Assert.Equal(full.Mutate(parent, a), all.Mutate(parent, b));
        }
    }

    [Fact]
    public void Mutate_IsolatedCellInRestriction_FallsBackToASample()
    {
        var space = new EdgeOperationSpace(6, 5, [0, 15624]);
        Assert.Empty(space.Neighbours(0));
        var child = space.Mutate(0, new SearchRandom(5));
        Assert.True(space.Contains(child));
    }

    [Fact]
    public void EncodeDecode_RoundTripsAndComposeMatchesCodeOrder()
    {
        var space = ToyProblems.Grid();
        Assert.Equal("0-0-0-0-0-1", space.Encode(1));
        Assert.Equal("4-4-4-4-4-4", space.Encode(15624));
        Assert.Equal(5 * 5 * 5 * 5 * 5 * 3, space.Compose([3, 0, 0, 0, 0, 0]));
        var random = new SearchRandom(6);
        for (var i = 0; i < 100; i++)
        {
            var code = space.Sample(random);
            Assert.Equal(code, space.Decode(space.Encode(code)));
        }
    }

    [Theory]
    [InlineData("0-0-0-0-0")]
    [InlineData("0-0-0-0-0-5")]
    [InlineData("0-0-x-0-0-0")]
    public void Decode_Malformed_ThrowsFormatExceptionNamingTheText(string text)
    {
        var ex = Assert.Throws<FormatException>(() => ToyProblems.Grid().Decode(text));
        Assert.Contains(text, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_CodeOutsideSpace_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => new EdgeOperationSpace(6, 5, [15625]));
        Assert.Contains("15625", ex.Message, StringComparison.Ordinal);
    }
}
