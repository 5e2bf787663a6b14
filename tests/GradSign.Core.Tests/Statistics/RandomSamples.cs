using GradSign.Internal;

namespace GradSign.Tests.Statistics;

/// <summary>Seeded random paired samples for property and oracle tests.</summary>
internal static class RandomSamples
{
    public static TheoryData<int> Seeds(int count)
    {
        var data = new TheoryData<int>();
        for (var s = 0; s < count; s++)
        {
            data.Add(s);
        }

        return data;
    }

    /// <summary>
    /// Correlated Gaussian pairs; with <paramref name="tieLevels"/> &gt; 0 both coordinates are rounded to that many
    /// levels (heavy ties); with <paramref name="infinities"/> a few values become ±∞.
    /// </summary>
    public static (double[] X, double[] Y) Pairs(int seed, int n, int tieLevels = 0, bool infinities = false, double correlation = 0.5)
    {
        var random = new SplitMix64((ulong)seed * 7919 + 17);
        var x = new double[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = random.NextGaussian();
            y[i] = (correlation * x[i]) + (Math.Sqrt(1 - (correlation * correlation)) * random.NextGaussian());
            if (tieLevels > 0)
            {
                x[i] = Math.Round(x[i] * tieLevels / 4);
                y[i] = Math.Round(y[i] * tieLevels / 4);
            }
        }

        if (infinities && n > 0)
        {
            for (var k = 0; k < 1 + (n / 20); k++)
            {
                var target = random.NextInt(2) == 0 ? x : y;
                target[random.NextInt(n)] = random.NextInt(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity;
            }
        }

        return (x, y);
    }
}
