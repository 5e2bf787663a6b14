using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Cli.Fixtures;
using GradSign.Proxies;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Proxies;

public class JacobCovTests
{
    public static TheoryData<string> ExtCases() => FixtureData.Of(SharedPaths.FixturesExt);

    [Fact]
    public void Corrcoef_HandComputedCase_MatchesNumPy()
    {
        // numpy.corrcoef([[1, 2, 3, 4], [2, 4, 6, 9], [4, 3, 2, 1]]):
        //   r01 = cov / (s0 s1): x0 − 2.5 = (−1.5, −.5, .5, 1.5); x1 − 5.25 = (−3.25, −1.25, .75, 3.75)
        //   Σ products = 4.875 + .625 + .375 + 5.625 = 11.5; Σ x0² = 5; Σ x1² = 10.5625 + 1.5625 + .5625 + 14.0625 = 26.75
        //   r01 = 11.5 / √(5 · 26.75); r02 = −1; r12 = −r01.
        double[] x = [1, 2, 3, 4, 2, 4, 6, 9, 4, 3, 2, 1];
        var c = JacobCovMath.Corrcoef(x, 3, 4);
        var r01 = 11.5 / Math.Sqrt(5 * 26.75);
        Assert.Equal(1.0, c[0, 0], 15);
        Assert.Equal(r01, c[0, 1], 14);
        Assert.Equal(r01, c[1, 0], 14);
        Assert.Equal(-1.0, c[0, 2], 15);
        Assert.Equal(-r01, c[1, 2], 14);
    }

    [Fact]
    public void Corrcoef_ZeroVarianceRow_GivesNaNRowAndColumn_AndScoreNaN()
    {
        double[] x = [1, 2, 3, 5, 5, 5, 3, 1, 2];
        var c = JacobCovMath.Corrcoef(x, 3, 3);
        Assert.True(double.IsNaN(c[1, 1]));
        Assert.True(double.IsNaN(c[0, 1]));
        Assert.True(double.IsNaN(c[1, 2]));
        Assert.False(double.IsNaN(c[0, 2]));
        Assert.True(double.IsNaN(JacobCovMath.Score(c)));
    }

    [Fact]
    public void Score_Identity_IsClosedForm()
    {
        // Eigenvalues all 1: −n·[log(1 + 1e-5) + 1/(1 + 1e-5)].
        var identity = new double[4, 4];
        for (var i = 0; i < 4; i++)
        {
            identity[i, i] = 1;
        }

        var k = 1 + JacobCovMath.Regularizer;
        Assert.Equal(-4 * (Math.Log(k) + (1 / k)), JacobCovMath.Score(identity), 14);
    }

    [Fact]
    public void Score_EigenvalueBelowMinusRegularizer_IsNaN()
    {
        // Eigenvalues of [[1, 2], [2, 1]] are 3 and −1: log(−1 + 1e-5) is NaN, as in NumPy.
        Assert.True(double.IsNaN(JacobCovMath.Score(new double[,] { { 1, 2 }, { 2, 1 } })));
    }

    [Theory]
    [MemberData(nameof(ExtCases))]
    public void Score_OracleCorrelationMatrices_MatchValue(string caseName)
    {
        var fixture = OracleFixture.Load(Path.Combine(SharedPaths.FixturesExt, caseName));
        var c = fixture.ExpectedMatrix(ProxyIds.JacobCov, "corrcoef");
        var expected = fixture.ExpectedProxy(ProxyIds.JacobCov);
        var actual = JacobCovMath.Score(c);
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"expected NaN, got {actual}");
        }
        else
        {
            Assert.True(Math.Abs(actual - expected) <= 1e-12 * Math.Abs(expected), $"score {actual:R}, expected {expected:R}");
            var eig = JacobCovMath.Eigenvalues(c);
            var expectedEig = fixture.ExpectedPerLayer(ProxyIds.JacobCov, "eigenvalues_sorted");
            for (var i = 0; i < eig.Length; i++)
            {
                Assert.True(Math.Abs(eig[i] - expectedEig[i]) <= 1e-12, $"eigenvalue {i}: {eig[i]:R} vs {expectedEig[i]:R}");
            }
        }
    }

    [Fact]
    public void Compute_AsksForInputGradientOfSumOfLogits_AndRoundsToFloat32()
    {
        var weights = TinyNetworks.Weights();
        var batch = TinyNetworks.Batch(count: 3, labels: false);
        var n = batch.SampleSize;
        var j = new double[3 * n];
        for (var i = 0; i < j.Length; i++)
        {
            j[i] = Math.Sin(i * 1.3) + (1e-12 * i); // the 1e-12 terms vanish in float32
        }

        Objective? seen = null;
        var backend = new FakeBackend
        {
            Gradients = (_, _, o) => { seen = o; return TinyNetworks.Fill(weights.Spec, (_, _) => 0); },
            InputGradient = (_, _) => j,
        };

        var c = new JacobCovProxy().ComputeCorrelation(weights, batch, new ProxyContext(backend));
        var rounded = j.Select(v => (double)(float)v).ToArray();

        Assert.Equal(Objective.SumOfLogits, seen);
        Assert.Equal(JacobCovMath.Corrcoef(rounded, 3, n), c);
    }

    [Fact]
    public void Compute_InputIndependentLogits_IsNaN()
    {
        var weights = TinyNetworks.Weights();
        var batch = TinyNetworks.Batch(count: 3, labels: false);
        var backend = new FakeBackend
        {
            Gradients = (_, _, _) => TinyNetworks.Fill(weights.Spec, (_, _) => 0),
            InputGradient = (_, b) => new double[b.Count * b.SampleSize],
        };

        Assert.True(double.IsNaN(new JacobCovProxy().Compute(weights, batch, new ProxyContext(backend)).Value));
    }
}
