using GradSign.Statistics;

namespace GradSign.Tests.Statistics;

/// <summary>Properties every correlation must satisfy, over seeds, with and without ties.</summary>
public class InvariantTests
{
    private const double Tolerance = 1e-12;

    public static TheoryData<int> Seeds => RandomSamples.Seeds(12);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Correlations_SwappedArguments_AreSymmetric(int seed)
    {
        var (x, y) = RandomSamples.Pairs(seed, 5 + seed * 13, tieLevels: seed % 3 == 0 ? 4 : 0);
        Assert.Equal(RankCorrelation.Spearman(x, y), RankCorrelation.Spearman(y, x), Tolerance);
        Assert.Equal(RankCorrelation.KendallTau(x, y), RankCorrelation.KendallTau(y, x), Tolerance);
        Assert.Equal(RankCorrelation.KendallTau(x, y, KendallVariant.TauC), RankCorrelation.KendallTau(y, x, KendallVariant.TauC), Tolerance);
        Assert.Equal(RankCorrelation.Pearson(x, y), RankCorrelation.Pearson(y, x), Tolerance);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Correlations_SampleWithItself_AreOne(int seed)
    {
        var (x, _) = RandomSamples.Pairs(seed, 5 + seed * 13, tieLevels: seed % 2 == 0 ? 4 : 0);
        Assert.Equal(1.0, RankCorrelation.Spearman(x, x), Tolerance);
        Assert.Equal(1.0, RankCorrelation.KendallTau(x, x), Tolerance);
        Assert.Equal(1.0, RankCorrelation.Pearson(x, x), Tolerance);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Correlations_SampleWithItsNegation_AreMinusOne(int seed)
    {
        var (x, _) = RandomSamples.Pairs(seed, 5 + seed * 13, tieLevels: seed % 2 == 0 ? 4 : 0);
        var negated = x.Select(v => -v).ToArray();
        Assert.Equal(-1.0, RankCorrelation.Spearman(x, negated), Tolerance);
        Assert.Equal(-1.0, RankCorrelation.KendallTau(x, negated), Tolerance);
        Assert.Equal(-1.0, RankCorrelation.Pearson(x, negated), Tolerance);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RankCorrelations_StrictlyIncreasingTransform_AreInvariant(int seed)
    {
        var (x, y) = RandomSamples.Pairs(seed, 5 + seed * 13, tieLevels: seed % 3 == 0 ? 4 : 0);
        Func<double, double>[] transforms = [Math.Exp, v => v * v * v, Math.Atan, v => (3 * v) + 7];
        foreach (var f in transforms)
        {
            var fx = x.Select(f).ToArray();
            Assert.Equal(RankCorrelation.Spearman(x, y), RankCorrelation.Spearman(fx, y), Tolerance);
            Assert.Equal(RankCorrelation.KendallTau(x, y), RankCorrelation.KendallTau(fx, y), Tolerance);
            Assert.Equal(RankCorrelation.KendallTau(x, y, KendallVariant.TauC), RankCorrelation.KendallTau(fx, y, KendallVariant.TauC), Tolerance);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RankCorrelations_DecreasingTransform_FlipSign(int seed)
    {
        var (x, y) = RandomSamples.Pairs(seed, 5 + seed * 13);
        var fx = x.Select(v => Math.Exp(-v)).ToArray();
        Assert.Equal(-RankCorrelation.Spearman(x, y), RankCorrelation.Spearman(fx, y), Tolerance);
        Assert.Equal(-RankCorrelation.KendallTau(x, y), RankCorrelation.KendallTau(fx, y), Tolerance);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Correlations_AnyInput_LieInClosedUnitInterval(int seed)
    {
        var (x, y) = RandomSamples.Pairs(seed, 2 + seed, tieLevels: seed % 2 == 0 ? 2 : 0, correlation: 0.99);
        foreach (var value in new[] { RankCorrelation.Spearman(x, y), RankCorrelation.KendallTau(x, y), RankCorrelation.KendallTau(x, y, KendallVariant.TauC), RankCorrelation.Pearson(x, y) })
        {
            Assert.True(double.IsNaN(value) || (value >= -1 && value <= 1), $"{value} outside [-1, 1]");
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Spearman_Definition_EqualsPearsonOfAverageRanks(int seed)
    {
        var (x, y) = RandomSamples.Pairs(seed, 5 + seed * 13, tieLevels: 3);
        Assert.Equal(RankCorrelation.Pearson(RankCorrelation.Rank(x), RankCorrelation.Rank(y)), RankCorrelation.Spearman(x, y), Tolerance);
    }
}
