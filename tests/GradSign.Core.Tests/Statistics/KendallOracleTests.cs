using GradSign.Statistics;

namespace GradSign.Tests.Statistics;

/// <summary>The O(n log n) Kendall τ against the O(n²) pair-by-pair oracle on random inputs.</summary>
public class KendallOracleTests
{
    public static TheoryData<int> Seeds => RandomSamples.Seeds(16);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void KendallTau_RandomWithoutTies_MatchesQuadraticOracle(int seed)
    {
        var (x, y) = RandomSamples.Pairs(seed, 2 + (seed * 97 % 1200));
        StatisticsAssert.Close(KendallOracle.TauB(x, y), RankCorrelation.KendallTau(x, y), 1e-12);
        StatisticsAssert.Close(KendallOracle.TauC(x, y), RankCorrelation.KendallTau(x, y, KendallVariant.TauC), 1e-12);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void KendallTau_RandomWithHeavyTies_MatchesQuadraticOracle(int seed)
    {
        var (x, y) = RandomSamples.Pairs(seed, 2 + (seed * 53 % 1000), tieLevels: 1 + (seed % 6));
        StatisticsAssert.Close(KendallOracle.TauB(x, y), RankCorrelation.KendallTau(x, y), 1e-12);
        StatisticsAssert.Close(KendallOracle.TauC(x, y), RankCorrelation.KendallTau(x, y, KendallVariant.TauC), 1e-12);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void KendallTau_RandomWithInfinitiesAndTies_MatchesQuadraticOracle(int seed)
    {
        var (x, y) = RandomSamples.Pairs(seed, 3 + (seed * 89 % 900), tieLevels: seed % 2 == 0 ? 0 : 5, infinities: true);
        StatisticsAssert.Close(KendallOracle.TauB(x, y), RankCorrelation.KendallTau(x, y), 1e-12);
        StatisticsAssert.Close(KendallOracle.TauC(x, y), RankCorrelation.KendallTau(x, y, KendallVariant.TauC), 1e-12);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void KendallCounter_RandomWithTies_CountsEqualOracleExactly(int seed)
    {
        var (x, y) = RandomSamples.Pairs(seed, 1 + (seed * 131 % 1500), tieLevels: seed % 4 == 0 ? 0 : 3, infinities: seed % 3 == 0);
        var expected = KendallOracle.Count(x, y);
        var actual = KendallCounter.Count(x, y, new CorrelationWorkspace());
        Assert.Equal(expected.Discordant, actual.Discordant);
        Assert.Equal(expected.XTies, actual.XTies);
        Assert.Equal(expected.YTies, actual.YTies);
        Assert.Equal(expected.JointTies, actual.JointTies);
        Assert.Equal(expected.Concordant - expected.Discordant, actual.ConcordantMinusDiscordant);
        Assert.Equal(expected.DistinctX, actual.DistinctX);
        Assert.Equal(expected.DistinctY, actual.DistinctY);
    }

    [Fact]
    public void CountInversions_AllLengthsUpTo200_MatchesBruteForce()
    {
        var random = new GradSign.Internal.SplitMix64(3);
        for (var n = 0; n <= 200; n++)
        {
            var a = new int[n];
            for (var i = 0; i < n; i++)
            {
                a[i] = random.NextInt(1 + (n / 3));
            }

            long expected = 0;
            for (var i = 0; i < n; i++)
            {
                for (var j = i + 1; j < n; j++)
                {
                    expected += a[i] > a[j] ? 1 : 0;
                }
            }

            Assert.Equal(expected, KendallCounter.CountInversions(a, new int[n]));
        }
    }

    [Fact]
    public void KendallTau_LargeRandomInput_MatchesQuadraticOracle()
    {
        var (x, y) = RandomSamples.Pairs(99, 2500, tieLevels: 40);
        StatisticsAssert.Close(KendallOracle.TauB(x, y), RankCorrelation.KendallTau(x, y), 1e-12);
    }
}
