using GradSign.Statistics;

namespace GradSign.Tests.Statistics;

/// <summary>Acceptance: every case of scipy_golden.json to 1e-12.</summary>
public class ScipyGoldenTests
{
    private const double Tolerance = 1e-12;

    public static TheoryData<string> Cases => ScipyGolden.Names();

    [Fact]
    public void GoldenFile_HasCases()
    {
        Assert.True(ScipyGolden.Cases.Count >= 10, $"{ScipyGolden.FilePath} should hold the scipy cases");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Spearman_ScipyCase_MatchesBothPolicies(string name)
    {
        var c = ScipyGolden.Cases[name];
        Check(c, "spearman_propagate", RankCorrelation.Spearman(c.X, c.Y));
        Check(c, "spearman_omit", RankCorrelation.Spearman(c.X, c.Y, NanPolicy.Omit));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void KendallTau_ScipyCase_MatchesTauBAndTauC(string name)
    {
        var c = ScipyGolden.Cases[name];
        Check(c, "kendall_tau_b_propagate", RankCorrelation.KendallTau(c.X, c.Y));
        Check(c, "kendall_tau_b_omit", RankCorrelation.KendallTau(c.X, c.Y, KendallVariant.TauB, NanPolicy.Omit));
        Check(c, "kendall_tau_c_omit", RankCorrelation.KendallTau(c.X, c.Y, KendallVariant.TauC, NanPolicy.Omit));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pearson_ScipyCase_Matches(string name)
    {
        var c = ScipyGolden.Cases[name];
        Check(c, "pearson_omit", RankCorrelation.Pearson(c.X, c.Y, NanPolicy.Omit));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rank_ScipyCase_MatchesAverageRanks(string name)
    {
        var c = ScipyGolden.Cases[name];
        if (c.RanksXAverage is null)
        {
            // The generator records no ranks for inputs containing NaN; Rank_... tests cover that path.
            Assert.Contains(c.X, double.IsNaN);
            return;
        }

        var ranks = RankCorrelation.Rank(c.X);
        Assert.Equal(c.RanksXAverage.Length, ranks.Length);
        for (var i = 0; i < ranks.Length; i++)
        {
            StatisticsAssert.Close(c.RanksXAverage[i], ranks[i], Tolerance, $"{name} rank[{i}]");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CorrelationSummary_ScipyCase_MatchesOmitFields(string name)
    {
        var c = ScipyGolden.Cases[name];
        var summary = CorrelationSummary.Compute(c.X, c.Y, NanPolicy.Omit);
        Assert.Equal(c.X.Zip(c.Y).Count(p => !double.IsNaN(p.First) && !double.IsNaN(p.Second)), summary.N);
        Check(c, "spearman_omit", summary.Spearman);
        Check(c, "kendall_tau_b_omit", summary.KendallTauB);
        Check(c, "pearson_omit", summary.Pearson);
    }

    private static void Check(ScipyGoldenCase c, string field, double actual)
    {
        Assert.True(c.Expected.TryGetValue(field, out var expected), $"{c.Name} has no field {field}");
        StatisticsAssert.Close(expected, actual, Tolerance, $"({c.Name}.{field})");
    }
}
