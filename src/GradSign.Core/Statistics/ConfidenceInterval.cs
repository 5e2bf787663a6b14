namespace GradSign.Statistics;

/// <summary>A two-sided confidence interval around a point estimate.</summary>
/// <param name="Lower">Lower bound; NaN when the interval is undefined (see the producing method).</param>
/// <param name="Upper">Upper bound; NaN when the interval is undefined.</param>
/// <param name="Estimate">The statistic on the full sample; NaN when it is undefined.</param>
/// <param name="Confidence">The nominal coverage, in (0, 1), e.g. 0.95.</param>
public sealed record ConfidenceInterval(double Lower, double Upper, double Estimate, double Confidence)
{
    /// <summary>True when <paramref name="value"/> lies in [<see cref="Lower"/>, <see cref="Upper"/>] (false for NaN bounds).</summary>
    /// <param name="value">The value to test.</param>
    /// <returns>Whether the closed interval contains the value.</returns>
    public bool Contains(double value) => value >= Lower && value <= Upper;
}
