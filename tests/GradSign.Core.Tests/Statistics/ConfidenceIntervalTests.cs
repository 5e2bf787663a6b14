using GradSign.Statistics;

namespace GradSign.Tests.Statistics;

public class ConfidenceIntervalTests
{
    // z such that Φ(z) = 0.975, from standard normal tables (not from MathNet).
    private const double Z975 = 1.959963984540054;

    [Fact]
    public void FisherZ_Textbook_MatchesClosedForm()
    {
        var interval = ConfidenceIntervals.FisherZ(0.5, 50);
        var half = Z975 / Math.Sqrt(47);
        Assert.Equal(Math.Tanh(Math.Atanh(0.5) - half), interval.Lower, 1e-12);
        Assert.Equal(Math.Tanh(Math.Atanh(0.5) + half), interval.Upper, 1e-12);
        Assert.Equal(0.5, interval.Estimate);
        Assert.Equal(0.95, interval.Confidence);
    }

    [Fact]
    public void FisherZ_EdgeCases_AreDocumentedValues()
    {
        Assert.True(double.IsNaN(ConfidenceIntervals.FisherZ(0.3, 3).Lower));
        Assert.True(double.IsNaN(ConfidenceIntervals.FisherZ(double.NaN, 30).Upper));
        var perfect = ConfidenceIntervals.FisherZ(1, 30);
        Assert.Equal((1.0, 1.0), (perfect.Lower, perfect.Upper));
        Assert.Equal("rho", Assert.Throws<ArgumentOutOfRangeException>(() => ConfidenceIntervals.FisherZ(1.5, 30)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => ConfidenceIntervals.FisherZ(0.5, -1)).ParamName);
        Assert.Equal("confidence", Assert.Throws<ArgumentOutOfRangeException>(() => ConfidenceIntervals.FisherZ(0.5, 30, 1)).ParamName);
    }

    [Fact]
    public void Bootstrap_SameSeed_IsDeterministic()
    {
        var (x, y) = RandomSamples.Pairs(1, 80, tieLevels: 6);
        var options = new BootstrapOptions { Resamples = 200, Seed = 42 };
        Assert.Equal(ConfidenceIntervals.BootstrapSpearman(x, y, options), ConfidenceIntervals.BootstrapSpearman(x, y, options));
        Assert.Equal(ConfidenceIntervals.BootstrapKendall(x, y, options: options), ConfidenceIntervals.BootstrapKendall(x, y, options: options));
        Assert.NotEqual(ConfidenceIntervals.BootstrapSpearman(x, y, options), ConfidenceIntervals.BootstrapSpearman(x, y, options with { Seed = 43 }));
    }

    [Fact]
    public void Bootstrap_Estimate_IsTheFullSampleStatisticInsideTheInterval()
    {
        var (x, y) = RandomSamples.Pairs(2, 150, correlation: 0.7);
        var options = new BootstrapOptions { Resamples = 300, Seed = 1 };
        var rho = ConfidenceIntervals.BootstrapSpearman(x, y, options);
        var tau = ConfidenceIntervals.BootstrapKendall(x, y, KendallVariant.TauC, options);
        Assert.Equal(RankCorrelation.Spearman(x, y), rho.Estimate);
        Assert.Equal(RankCorrelation.KendallTau(x, y, KendallVariant.TauC), tau.Estimate);
        Assert.True(rho.Contains(rho.Estimate) && rho.Lower < rho.Upper, rho.ToString());
        Assert.True(tau.Contains(tau.Estimate) && tau.Lower < tau.Upper, tau.ToString());
    }

    [Fact]
    public void BootstrapSpearman_LargeSample_WidthComparableToFisherZ()
    {
        // For bivariate-normal data both intervals estimate the same sampling spread.
        var (x, y) = RandomSamples.Pairs(3, 400, correlation: 0.6);
        var bootstrap = ConfidenceIntervals.BootstrapSpearman(x, y, new BootstrapOptions { Resamples = 400, Seed = 5 });
        var fisher = ConfidenceIntervals.FisherZ(bootstrap.Estimate, x.Length);
        var ratio = (bootstrap.Upper - bootstrap.Lower) / (fisher.Upper - fisher.Lower);
        Assert.InRange(ratio, 0.7, 1.4);
    }

    [Fact]
    public void Bootstrap_OmitPolicy_EqualsBootstrapOfCompletePairs()
    {
        var (x, y) = RandomSamples.Pairs(4, 60);
        var complete = (x.ToArray(), y.ToArray());
        x[5] = double.NaN;
        y[30] = double.NaN;
        var keep = Enumerable.Range(0, x.Length).Where(i => i != 5 && i != 30).ToArray();
        var options = new BootstrapOptions { Resamples = 100, Seed = 9 };
        Assert.Equal(
            ConfidenceIntervals.BootstrapKendall(keep.Select(i => complete.Item1[i]).ToArray(), keep.Select(i => complete.Item2[i]).ToArray(), options: options),
            ConfidenceIntervals.BootstrapKendall(x, y, options: options with { NanPolicy = NanPolicy.Omit }));
    }

    [Fact]
    public void Bootstrap_NaNUnderPropagateAndThrow_FollowsPolicy()
    {
        double[] x = [1, 2, double.NaN, 4];
        double[] y = [1, 3, 2, 4];
        var propagated = ConfidenceIntervals.BootstrapSpearman(x, y);
        Assert.True(double.IsNaN(propagated.Lower) && double.IsNaN(propagated.Upper) && double.IsNaN(propagated.Estimate));
        Assert.Throws<ArgumentException>(() => ConfidenceIntervals.BootstrapSpearman(x, y, new BootstrapOptions { NanPolicy = NanPolicy.Throw }));
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => ConfidenceIntervals.BootstrapSpearman(x, [1.0])).ParamName);
    }

    [Fact]
    public void Bootstrap_CancelledToken_Throws()
    {
        var (x, y) = RandomSamples.Pairs(4, 30);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => ConfidenceIntervals.BootstrapSpearman(x, y, cancellationToken: cts.Token));
    }

    [Fact]
    public void Bootstrap_Progress_ReportsAllResamples()
    {
        var (x, y) = RandomSamples.Pairs(4, 30);
        var reports = new List<int>();
        ConfidenceIntervals.BootstrapKendall(x, y, options: new BootstrapOptions { Resamples = 250 }, progress: new SyncProgress(reports.Add));
        Assert.Equal(250, reports[^1]);
        Assert.True(reports.SequenceEqual(reports.Order()));
    }

    [Fact]
    public void BootstrapOptions_InvalidValues_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BootstrapOptions { Resamples = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new BootstrapOptions { Confidence = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new BootstrapOptions { Confidence = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new BootstrapOptions { NanPolicy = (NanPolicy)5 });
    }

    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
