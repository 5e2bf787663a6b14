using GradSign.Statistics;

namespace GradSign.Tests.Statistics;

public sealed class RankAggregationTests
{
    // Ranks (ascending, average ties): a → [4, 1, 2.5, 2.5], b → [1, 2, 3, 4], c → [2, 4, 3, 1].
    private static readonly double[] s_a = [3, 1, 2, 2];
    private static readonly double[] s_b = [-5, 0.5, 7, 9];
    private static readonly double[] s_c = [10, 40, 30, double.NegativeInfinity];

    [Fact]
    public void MeanRank_HandComputedExample()
        => Assert.Equal([7 / 3.0, 7 / 3.0, 8.5 / 3, 7.5 / 3], RankAggregation.MeanRank(s_a, s_b, s_c));

    [Fact]
    public void LogRank_HandComputedExample()
    {
        double L(double r) => Math.Log(r / 4);
        double[] expected = [L(4) + L(1) + L(2), L(1) + L(2) + L(4), L(2.5) + L(3) + L(3), L(2.5) + L(4) + L(1)];
        var actual = RankAggregation.LogRank(s_a, s_b, s_c);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 15);
        }
    }

    [Theory]
    [InlineData(RankAggregationMethod.MeanRank)]
    [InlineData(RankAggregationMethod.LogRank)]
    public void Aggregate_DependsOnlyOnEachMembersOrder(RankAggregationMethod method)
    {
        var before = RankAggregation.Aggregate(method, [s_a, s_b]);
        var after = RankAggregation.Aggregate(method, [[.. s_a.Select(v => Math.Exp(v) - 100)], [.. s_b.Select(v => (3 * v) + 1)]]);
        Assert.Equal(before, after);
    }

    [Fact]
    public void MeanRank_OneMember_IsItsRanks()
        => Assert.Equal(RankCorrelation.Rank(s_a), RankAggregation.MeanRank(s_a));

    [Fact]
    public void LogRank_ItemFirstInEveryMember_ScoresZero_TheMaximum()
    {
        var result = RankAggregation.LogRank([1, 2, 3], [0, 5, 9]);
        Assert.Equal(0.0, result[2]);
        Assert.All(result, v => Assert.True(v <= 0));
    }

    [Fact]
    public void LogRank_PenalisesOneLowRankMoreThanMeanRankDoes()
    {
        // Item 0: ranks (5, 5, 1), mean 3.67, Σ log = log 0.2; item 1: ranks (3, 3, 3), mean 3, Σ log = 3 log 0.6.
        double[] x = [5, 3, 4, 2, 1];
        double[] y = [5, 3, 4, 2, 1];
        double[] z = [1, 3, 5, 4, 2];
        var mean = RankAggregation.MeanRank(x, y, z);
        var log = RankAggregation.LogRank(x, y, z);
        Assert.True(mean[0] > mean[1]);
        Assert.True(log[0] < log[1]);
    }

    [Fact]
    public void NanPolicies()
    {
        double[] withNan = [3, double.NaN, 2, 1];
        Assert.All(RankAggregation.MeanRank(withNan, s_b), v => Assert.True(double.IsNaN(v)));

        // Omit: item 1 is left out, the others are ranked among themselves (n = 3).
        var omitted = RankAggregation.Aggregate(RankAggregationMethod.LogRank, [withNan, s_b], NanPolicy.Omit);
        Assert.True(double.IsNaN(omitted[1]));
        Assert.Equal(Math.Log(3 / 3.0) + Math.Log(1 / 3.0), omitted[0], 15);
        Assert.Equal(Math.Log(2 / 3.0) + Math.Log(2 / 3.0), omitted[2], 15);
        Assert.Equal(Math.Log(1 / 3.0) + Math.Log(3 / 3.0), omitted[3], 15);

        var e = Assert.Throws<ArgumentException>(() => RankAggregation.Aggregate(RankAggregationMethod.MeanRank, [s_b, withNan], NanPolicy.Throw));
        Assert.Contains("members[1][1]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Destination_WritesOnlyTheFirstN()
    {
        var destination = new double[6];
        destination[4] = destination[5] = 42;
        RankAggregation.Aggregate(RankAggregationMethod.MeanRank, [s_a, s_b, s_c], destination);
        Assert.Equal(RankAggregation.MeanRank(s_a, s_b, s_c), destination[..4]);
        Assert.Equal([42.0, 42.0], destination[4..]);
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => RankAggregation.MeanRank());
        var e = Assert.Throws<ArgumentException>(() => RankAggregation.MeanRank(s_a, [1, 2, 3]));
        Assert.Contains("members[1] has 3 values", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => RankAggregation.MeanRank(s_a, null!));
        Assert.Throws<ArgumentException>(() => RankAggregation.Aggregate(RankAggregationMethod.MeanRank, [s_a], new double[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankAggregation.Aggregate((RankAggregationMethod)7, [s_a]));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankAggregation.Aggregate(RankAggregationMethod.MeanRank, [s_a], (NanPolicy)9));
        Assert.Empty(RankAggregation.LogRank([], []));
    }
}
