namespace GradSign.Tests.Statistics;

/// <summary>The textbook O(n²) Kendall τ: classify every pair directly (CompareTo, so ±∞ compare correctly).</summary>
internal static class KendallOracle
{
    public sealed record Counts(long Concordant, long Discordant, long XTies, long YTies, long JointTies, int DistinctX, int DistinctY);

    public static Counts Count(double[] x, double[] y)
    {
        long concordant = 0, discordant = 0, xTies = 0, yTies = 0, joint = 0;
        for (var i = 0; i < x.Length; i++)
        {
            for (var j = i + 1; j < x.Length; j++)
            {
                var dx = x[i].CompareTo(x[j]);
                var dy = y[i].CompareTo(y[j]);
                if (dx == 0)
                {
                    xTies++;
                }

                if (dy == 0)
                {
                    yTies++;
                }

                if (dx == 0 && dy == 0)
                {
                    joint++;
                }
                else if (dx != 0 && dy != 0)
                {
                    if (dx == dy)
                    {
                        concordant++;
                    }
                    else
                    {
                        discordant++;
                    }
                }
            }
        }

        return new Counts(concordant, discordant, xTies, yTies, joint, x.Distinct().Count(), y.Distinct().Count());
    }

    public static double TauB(double[] x, double[] y)
    {
        var c = Count(x, y);
        long n0 = (long)x.Length * (x.Length - 1) / 2;
        if (x.Length < 2 || c.XTies == n0 || c.YTies == n0)
        {
            return double.NaN;
        }

        return (c.Concordant - c.Discordant) / Math.Sqrt((double)(n0 - c.XTies) * (n0 - c.YTies));
    }

    public static double TauC(double[] x, double[] y)
    {
        var c = Count(x, y);
        var m = Math.Min(c.DistinctX, c.DistinctY);
        if (x.Length < 2 || m < 2)
        {
            return double.NaN;
        }

        double n = x.Length;
        return 2.0 * (c.Concordant - c.Discordant) / (n * n * (m - 1) / m);
    }
}
