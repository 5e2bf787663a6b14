using GradSign.Statistics;

namespace GradSign.Tests.Statistics;

public class RankingQualityTests
{
    private static readonly double[] s_predicted = [0.9, 0.8, 0.1, 0.5];
    private static readonly double[] s_truth = [10, 30, 20, 40];

    [Fact]
    public void TopKOverlap_HandExample_CountsSharedTopItems()
    {
        // Predicted top-2 = {0, 1}; true top-2 = {3, 1}: one shared item.
        Assert.Equal(0.5, RankingQuality.TopKOverlap(s_predicted, s_truth, 2));
        Assert.Equal(1.0, RankingQuality.TopKOverlap(s_predicted, s_truth, 4));
    }

    [Fact]
    public void PrecisionAtK_HandExample_UsesRelevantSetSize()
    {
        // Predicted top-2 = {0, 1}; true top-3 = {3, 1, 2}: one of two predicted is relevant.
        Assert.Equal(0.5, RankingQuality.PrecisionAtK(s_predicted, s_truth, 2, 3));
        // Predicted top-1 = {0}; true top-3 does not contain it.
        Assert.Equal(0.0, RankingQuality.PrecisionAtK(s_predicted, s_truth, 1, 3));
    }

    [Fact]
    public void TrueRankOfPredictedBest_HandExample_CountsTrulyBetterItems()
    {
        // The proxy's favourite (index 0, accuracy 10) is beaten by three items.
        Assert.Equal(4.0, RankingQuality.TrueRankOfPredictedBest(s_predicted, s_truth));
        Assert.Equal(1.0, RankingQuality.TrueRankOfPredictedBest(s_truth, s_truth));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void PrecisionAtK_Random_MatchesLinqOracle(int seed)
    {
        var (x, y) = RandomSamples.Pairs(seed, 20 + seed * 17, tieLevels: seed % 2 == 0 ? 0 : 8);
        var n = x.Length;
        foreach (var k in new[] { 1, 3, n / 10 + 1, n / 2, n })
        {
            foreach (var relevant in new[] { k, 1, n / 20 + 1, n })
            {
                var top = Top(x, k);
                var good = Top(y, relevant).ToHashSet();
                var expected = top.Count(good.Contains) / (double)k;
                Assert.Equal(expected, RankingQuality.PrecisionAtK(x, y, k, relevant));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TrueRankOfPredictedBest_Random_MatchesLinqOracle(int seed)
    {
        var (x, y) = RandomSamples.Pairs(seed, 20 + seed * 17, tieLevels: seed % 2 == 0 ? 0 : 8);
        var best = Top(x, 1)[0];
        Assert.Equal(1 + y.Count(v => v > y[best]), RankingQuality.TrueRankOfPredictedBest(x, y));
    }

    [Fact]
    public void RankingQuality_PerfectAndReversedPredictions_GiveExtremes()
    {
        var truth = Enumerable.Range(0, 50).Select(i => (double)i).ToArray();
        var reversed = truth.Select(v => -v).ToArray();
        Assert.Equal(1.0, RankingQuality.TopKOverlap(truth, truth, 5));
        Assert.Equal(0.0, RankingQuality.TopKOverlap(reversed, truth, 5));
        Assert.Equal(50.0, RankingQuality.TrueRankOfPredictedBest(reversed, truth));
    }

    [Fact]
    public void RankingQuality_NaN_FollowsPolicy()
    {
        double[] predicted = [double.NaN, 0.8, 0.1, 0.5];
        Assert.True(double.IsNaN(RankingQuality.TopKOverlap(predicted, s_truth, 2)));
        Assert.True(double.IsNaN(RankingQuality.TrueRankOfPredictedBest(predicted, s_truth)));
        // Omit drops item 0: predicted top-2 = {1, 3}, true top-2 = {3, 1}.
        Assert.Equal(1.0, RankingQuality.TopKOverlap(predicted, s_truth, 2, NanPolicy.Omit));
        Assert.True(double.IsNaN(RankingQuality.TopKOverlap(predicted, s_truth, 4, NanPolicy.Omit)));
        Assert.Equal(2.0, RankingQuality.TrueRankOfPredictedBest(predicted, s_truth, NanPolicy.Omit));
        var ex = Assert.Throws<ArgumentException>(() => RankingQuality.TopKOverlap(predicted, s_truth, 2, NanPolicy.Throw));
        Assert.Equal("predicted", ex.ParamName);
    }

    [Fact]
    public void RankingQuality_BadArguments_Throw()
    {
        Assert.Equal("truth", Assert.Throws<ArgumentException>(() => RankingQuality.TopKOverlap(s_predicted, [1.0], 1)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => RankingQuality.TopKOverlap(s_predicted, s_truth, 0)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => RankingQuality.TopKOverlap(s_predicted, s_truth, 5)).ParamName);
        Assert.Equal("relevant", Assert.Throws<ArgumentOutOfRangeException>(() => RankingQuality.PrecisionAtK(s_predicted, s_truth, 1, 0)).ParamName);
    }

    public static TheoryData<int> Seeds => RandomSamples.Seeds(8);

    // Descending by value, ties by earlier index (a stable sort): the documented tie rule.
    private static int[] Top(double[] values, int count)
        => Enumerable.Range(0, values.Length).OrderByDescending(i => values[i]).Take(count).ToArray();
}
