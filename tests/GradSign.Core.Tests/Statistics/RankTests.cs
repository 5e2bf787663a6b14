using GradSign.Statistics;

namespace GradSign.Tests.Statistics;

public class RankTests
{
    // The example of scipy.stats.rankdata's documentation: rankdata([0, 2, 3, 2], method=...).
    [Theory]
    [InlineData(RankTieMethod.Average, new[] { 1, 2.5, 4, 2.5 })]
    [InlineData(RankTieMethod.Min, new[] { 1.0, 2, 4, 2 })]
    [InlineData(RankTieMethod.Max, new[] { 1.0, 3, 4, 3 })]
    [InlineData(RankTieMethod.Dense, new[] { 1.0, 2, 3, 2 })]
    [InlineData(RankTieMethod.Ordinal, new[] { 1.0, 2, 4, 3 })]
    public void Rank_ScipyDocumentationExample_MatchesEveryTieMethod(RankTieMethod ties, double[] expected)
    {
        Assert.Equal(expected, RankCorrelation.Rank([0, 2, 3, 2], ties));
    }

    [Fact]
    public void Rank_NaNUnderPropagate_AllRanksNaN()
    {
        Assert.All(RankCorrelation.Rank([3, double.NaN, 1]), r => Assert.True(double.IsNaN(r)));
    }

    [Fact]
    public void Rank_NaNUnderOmit_RanksOthersAmongThemselves()
    {
        var ranks = RankCorrelation.Rank([3, double.NaN, 1, 3], RankTieMethod.Average, NanPolicy.Omit);
        Assert.Equal(2.5, ranks[0]);
        Assert.True(double.IsNaN(ranks[1]));
        Assert.Equal(1.0, ranks[2]);
        Assert.Equal(2.5, ranks[3]);
    }

    [Fact]
    public void Rank_NaNUnderThrow_ThrowsNamingValues()
    {
        var ex = Assert.Throws<ArgumentException>(() => RankCorrelation.Rank([1, double.NaN], RankTieMethod.Average, NanPolicy.Throw));
        Assert.Equal("values", ex.ParamName);
    }

    [Fact]
    public void Rank_ShortDestination_ThrowsNamingRanks()
    {
        var ex = Assert.Throws<ArgumentException>(() => RankCorrelation.Rank([1.0, 2, 3], new double[2]));
        Assert.Equal("ranks", ex.ParamName);
    }

    [Fact]
    public void Rank_SameMemoryInAndOut_RanksInPlace()
    {
        double[] values = [10, -1, 10, 5];
        RankCorrelation.Rank(values, values);
        Assert.Equal([3.5, 1, 3.5, 2], values);
    }

    [Fact]
    public void Rank_Infinities_AreExtremes()
    {
        Assert.Equal([4.0, 1, 2, 4, 4], RankCorrelation.Rank([double.PositiveInfinity, double.NegativeInfinity, 0, double.PositiveInfinity, double.PositiveInfinity]));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Rank_RandomTies_MethodsAreConsistent(int seed)
    {
        var (x, _) = RandomSamples.Pairs(seed, 1 + (seed * 151), tieLevels: 3);
        var n = x.Length;
        var average = RankCorrelation.Rank(x, RankTieMethod.Average);
        var min = RankCorrelation.Rank(x, RankTieMethod.Min);
        var max = RankCorrelation.Rank(x, RankTieMethod.Max);
        var dense = RankCorrelation.Rank(x, RankTieMethod.Dense);
        var ordinal = RankCorrelation.Rank(x, RankTieMethod.Ordinal);

        Assert.Equal(n * (n + 1) / 2.0, average.Sum());
        Assert.Equal(Enumerable.Range(1, n).Select(i => (double)i), ordinal.Order());
        Assert.Equal(x.Distinct().Count(), dense.Max());
        for (var i = 0; i < n; i++)
        {
            // Direct definitions: min = 1 + #smaller, max = #smaller-or-equal, average = their midpoint.
            Assert.Equal(1 + x.Count(v => v < x[i]), min[i]);
            Assert.Equal(x.Count(v => v <= x[i]), max[i]);
            Assert.Equal((min[i] + max[i]) / 2, average[i]);
            Assert.Equal(1 + x.Where(v => v < x[i]).Distinct().Count(), dense[i]);
            Assert.Equal(min[i] + x.Take(i).Count(v => v == x[i]), ordinal[i]);
        }
    }

    public static TheoryData<int> Seeds => RandomSamples.Seeds(8);
}
