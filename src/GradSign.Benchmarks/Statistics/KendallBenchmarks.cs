using BenchmarkDotNet.Attributes;
using GradSign.Statistics;

namespace GradSign.Benchmarks.Statistics;

/// <summary>
/// Rank correlations on NAS-Bench-201-sized inputs (15,625 architectures). Target: Kendall τ-b under 10 ms.
/// Run: <c>gradsign bdn --filter '*KendallBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class KendallBenchmarks
{
    private double[] _x = [];
    private double[] _y = [];

    /// <summary>Number of pairs.</summary>
    [Params(15_625)]
    public int N { get; set; }

    /// <summary>Whether the inputs are rounded to 100 levels (heavy ties, like accuracies with 2 decimals).</summary>
    [Params(false, true)]
    public bool Ties { get; set; }

    /// <summary>Correlated pseudo-random pairs from a fixed seed.</summary>
    [GlobalSetup]
    public void Setup()
    {
        // A fixed linear congruential stream: benchmarks only need stable, correlated data.
        ulong state = 12345;
        double Next()
        {
            state = (state * 6364136223846793005UL) + 1442695040888963407UL;
            return (state >> 11) * (1.0 / (1UL << 53));
        }

        _x = new double[N];
        _y = new double[N];
        for (var i = 0; i < N; i++)
        {
            _x[i] = Next();
            _y[i] = (0.6 * _x[i]) + (0.4 * Next());
            if (Ties)
            {
                _x[i] = Math.Round(_x[i] * 100);
                _y[i] = Math.Round(_y[i] * 100);
            }
        }
    }

    /// <summary>Kendall's τ-b, O(n log n).</summary>
    [Benchmark(Baseline = true)]
    public double KendallTauB() => RankCorrelation.KendallTau(_x, _y);

    /// <summary>Spearman's ρ, for comparison.</summary>
    [Benchmark]
    public double Spearman() => RankCorrelation.Spearman(_x, _y);

    /// <summary>All three coefficients at once.</summary>
    [Benchmark]
    public CorrelationSummary Summary() => CorrelationSummary.Compute(_x, _y);
}
