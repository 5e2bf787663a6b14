using GradSign.Statistics;

namespace GradSign.Tests.Statistics;

/// <summary>NaN policy, ±∞, degenerate inputs and argument validation.</summary>
public class NanPolicyTests
{
    private static readonly double[] s_x = [3, 1, double.NaN, 4, 1, 5, 9, 2, 6];
    private static readonly double[] s_y = [2, 7, 1, 8, double.NaN, 8, 2, 8, 1];

    public static TheoryData<string> Statistics => new() { "spearman", "kendall_b", "kendall_c", "pearson" };

    private static double Compute(string statistic, double[] x, double[] y, NanPolicy policy) => statistic switch
    {
        "spearman" => RankCorrelation.Spearman(x, y, policy),
        "kendall_b" => RankCorrelation.KendallTau(x, y, KendallVariant.TauB, policy),
        "kendall_c" => RankCorrelation.KendallTau(x, y, KendallVariant.TauC, policy),
        "pearson" => RankCorrelation.Pearson(x, y, policy),
        _ => throw new ArgumentOutOfRangeException(nameof(statistic)),
    };

    [Theory]
    [MemberData(nameof(Statistics))]
    public void Correlation_NaNUnderPropagate_ReturnsNaN(string statistic)
    {
        Assert.True(double.IsNaN(Compute(statistic, s_x, s_y, NanPolicy.Propagate)));
    }

    [Theory]
    [MemberData(nameof(Statistics))]
    public void Correlation_NaNUnderOmit_EqualsCompletePairs(string statistic)
    {
        int[] keep = [0, 1, 3, 5, 6, 7, 8];
        var expected = Compute(statistic, keep.Select(i => s_x[i]).ToArray(), keep.Select(i => s_y[i]).ToArray(), NanPolicy.Throw);
        Assert.False(double.IsNaN(expected));
        Assert.Equal(expected, Compute(statistic, s_x, s_y, NanPolicy.Omit));
    }

    [Theory]
    [MemberData(nameof(Statistics))]
    public void Correlation_NaNUnderThrow_ThrowsNamingArgumentAndIndex(string statistic)
    {
        var ex = Assert.Throws<ArgumentException>(() => Compute(statistic, s_x, s_y, NanPolicy.Throw));
        Assert.Equal("x", ex.ParamName);
        Assert.Contains("x[2]", ex.Message, StringComparison.Ordinal);

        double[] y = [1, 2, double.NaN];
        var ey = Assert.Throws<ArgumentException>(() => Compute(statistic, [1, 2, 3], y, NanPolicy.Throw));
        Assert.Equal("y", ey.ParamName);
    }

    [Theory]
    [MemberData(nameof(Statistics))]
    public void Correlation_LengthMismatch_ThrowsNamingY(string statistic)
    {
        var ex = Assert.Throws<ArgumentException>(() => Compute(statistic, [1, 2, 3], [1, 2], NanPolicy.Propagate));
        Assert.Equal("y", ex.ParamName);
        Assert.Contains("3", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Statistics))]
    public void Correlation_FewerThanTwoPairs_ReturnsNaN(string statistic)
    {
        Assert.True(double.IsNaN(Compute(statistic, [], [], NanPolicy.Propagate)));
        Assert.True(double.IsNaN(Compute(statistic, [1], [2], NanPolicy.Propagate)));
        Assert.True(double.IsNaN(Compute(statistic, [1, double.NaN, 3], [1, 2, double.NaN], NanPolicy.Omit)));
    }

    [Theory]
    [MemberData(nameof(Statistics))]
    public void Correlation_ConstantInput_ReturnsNaN(string statistic)
    {
        Assert.True(double.IsNaN(Compute(statistic, [2, 2, 2, 2], [1, 2, 3, 4], NanPolicy.Propagate)));
        Assert.True(double.IsNaN(Compute(statistic, [1, 2, 3, 4], [-0.0, 0.0, 0.0, -0.0], NanPolicy.Propagate)));
    }

    [Fact]
    public void RankCorrelations_Infinities_RankAsExtremes()
    {
        double[] x = [double.NegativeInfinity, 0.5, 3, double.PositiveInfinity, 1, double.PositiveInfinity];
        double[] stand = [-1e300, 0.5, 3, 1e300, 1, 1e300];
        double[] y = [1, 3, 2, 6, 4, 5];
        Assert.Equal(RankCorrelation.Spearman(stand, y), RankCorrelation.Spearman(x, y));
        Assert.Equal(RankCorrelation.KendallTau(stand, y), RankCorrelation.KendallTau(x, y));
        Assert.Equal(RankCorrelation.Rank(stand), RankCorrelation.Rank(x));
    }

    [Fact]
    public void RankCorrelations_PositiveInfinityOnly_MatchScipy()
    {
        // scipy 1.10.1: spearmanr/kendalltau([0.5, 3, inf, 1, inf, -2], [1, 3, 2, 6, 4, 5]). (With both +inf and
        // -inf scipy 1.10 returns NaN, because its NaN check sums the input; see docs/statistics.md.)
        double[] x = [0.5, 3, double.PositiveInfinity, 1, double.PositiveInfinity, -2];
        double[] y = [1, 3, 2, 6, 4, 5];
        Assert.Equal(-0.20291986247835694, RankCorrelation.Spearman(x, y), 1e-12);
        Assert.Equal(-0.13801311186847084, RankCorrelation.KendallTau(x, y), 1e-12);
    }

    [Theory]
    [InlineData(1e308)]
    [InlineData(1.7e308)]
    [InlineData(1e-300)]
    public void Pearson_ExtremeMagnitudes_AreScaledNotOverflowed(double scale)
    {
        // r is scale-invariant: r(s·x, y) = r(x, y); at ±1e308 the centred squares overflowed (r was 0 or NaN).
        double[] x = [-1, 0, 1, 0.5];
        double[] y = [1, 2, 3, 1];
        var expected = RankCorrelation.Pearson(x, y);
        Assert.Equal(expected, RankCorrelation.Pearson([.. x.Select(v => v * scale)], y), 12);
        Assert.Equal(1.0, RankCorrelation.Pearson([-scale, 0, scale], [1, 2, 3]), 15);
        Assert.Equal(expected, CorrelationSummary.Compute([.. x.Select(v => v * scale)], y, NanPolicy.Omit).Pearson, 12);
    }

    [Fact]
    public void Pearson_SubnormalValues_AreScaled()
        => Assert.Equal(1.0, RankCorrelation.Pearson([-double.Epsilon, 0, double.Epsilon], [1, 2, 3]), 15);

    [Fact]
    public void Pearson_Infinity_ReturnsNaN()
    {
        Assert.True(double.IsNaN(RankCorrelation.Pearson([1, 2, double.PositiveInfinity], [1, 2, 3])));
    }

    [Fact]
    public void Correlation_UndefinedEnumValues_ThrowArgumentOutOfRange()
    {
        double[] x = [1, 2, 3];
        Assert.Throws<ArgumentOutOfRangeException>(() => RankCorrelation.Spearman(x, x, (NanPolicy)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankCorrelation.KendallTau(x, x, (KendallVariant)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankCorrelation.Rank(x, (RankTieMethod)9));
    }

    [Fact]
    public void CorrelationSummary_Policies_MatchIndividualMethods()
    {
        foreach (var policy in new[] { NanPolicy.Propagate, NanPolicy.Omit })
        {
            var summary = CorrelationSummary.Compute(s_x, s_y, policy);
            Assert.Equal(policy == NanPolicy.Omit ? 7 : 9, summary.N);
            Assert.Equal(RankCorrelation.Spearman(s_x, s_y, policy), summary.Spearman);
            Assert.Equal(RankCorrelation.KendallTau(s_x, s_y, KendallVariant.TauB, policy), summary.KendallTauB);
            Assert.Equal(RankCorrelation.Pearson(s_x, s_y, policy), summary.Pearson);
        }

        Assert.Throws<ArgumentException>(() => CorrelationSummary.Compute(s_x, s_y, NanPolicy.Throw));
    }
}
