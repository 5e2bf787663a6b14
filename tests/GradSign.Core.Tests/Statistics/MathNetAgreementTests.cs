using GradSign.Statistics;
using MathNet.Numerics.Statistics;

namespace GradSign.Tests.Statistics;

/// <summary>MathNet.Numerics as a second oracle where its semantics match ours (no NaN), and where they do not.</summary>
public class MathNetAgreementTests
{
    private const double Tolerance = 1e-12;

    public static TheoryData<int> Seeds => RandomSamples.Seeds(10);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Spearman_RandomWithAndWithoutTies_AgreesWithMathNet(int seed)
    {
        var (x, y) = RandomSamples.Pairs(seed, 3 + seed * 97, tieLevels: seed % 2 == 0 ? 0 : 6);
        Assert.Equal(Correlation.Spearman(x, y), RankCorrelation.Spearman(x, y), Tolerance);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Pearson_Random_AgreesWithMathNet(int seed)
    {
        var (x, y) = RandomSamples.Pairs(seed, 3 + seed * 97, tieLevels: seed % 2 == 0 ? 0 : 6);
        Assert.Equal(Correlation.Pearson(x, y), RankCorrelation.Pearson(x, y), Tolerance);
    }

    [Fact]
    public void Spearman_InputWithNaN_PropagatesWhereMathNetRanksNaNLowest()
    {
        // MathNet silently ranks NaN as the smallest value, so a NaN at the minimum position still gives ρ = 1.
        double[] x = [double.NaN, 2, 3, 4, 5];
        double[] y = [1, 2, 3, 4, 5];
        Assert.Equal(1.0, Correlation.Spearman(x, y), Tolerance);
        Assert.True(double.IsNaN(RankCorrelation.Spearman(x, y)));
    }

    [Fact]
    public void Spearman_OmitPolicy_AgreesWithMathNetOnCompletePairs()
    {
        var (x, y) = RandomSamples.Pairs(5, 60, tieLevels: 5);
        x[3] = double.NaN;
        y[17] = double.NaN;
        var complete = Enumerable.Range(0, x.Length).Where(i => !double.IsNaN(x[i]) && !double.IsNaN(y[i])).ToArray();
        Assert.Equal(
            Correlation.Spearman(complete.Select(i => x[i]), complete.Select(i => y[i])),
            RankCorrelation.Spearman(x, y, NanPolicy.Omit),
            Tolerance);
    }
}
