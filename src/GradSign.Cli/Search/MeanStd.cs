namespace GradSign.Cli.Search;

/// <summary>Mean and sample standard deviation (n − 1, as Python's <c>statistics.stdev</c> in GradSign's scripts) of some runs.</summary>
/// <param name="Mean">The mean.</param>
/// <param name="Std">The sample standard deviation; NaN for fewer than two values.</param>
/// <param name="Count">Number of values.</param>
public readonly record struct MeanStd(double Mean, double Std, int Count)
{
    /// <summary>Summarises values.</summary>
    /// <param name="values">The values (at least one).</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentException">No values.</exception>
    public static MeanStd Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = values.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("No values to summarise.", nameof(values));
        }

        var mean = list.Average();
        var std = list.Count < 2 ? double.NaN : Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
        return new MeanStd(mean, std, list.Count);
    }
}
