namespace GradSign.Search;

/// <summary>
/// The REINFORCE reward baseline of NAS-Bench-201's <c>reinforce.py</c>: an exponential moving average with bias correction,
/// <c>num ← m·num + (1−m)·r</c>, <c>den ← m·den + (1−m)</c>, value <c>num / den</c> (so the first value is the first reward).
/// </summary>
/// <threadsafety>Not thread-safe.</threadsafety>
internal sealed class MovingAverageBaseline
{
    private readonly double _momentum;
    private double _numerator;
    private double _denominator;

    /// <summary>Creates an empty baseline.</summary>
    /// <param name="momentum">In [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">Out of range.</exception>
    public MovingAverageBaseline(double momentum)
    {
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        }

        _momentum = momentum;
    }

    /// <summary>The current average; NaN before the first update.</summary>
    public double Value => _denominator > 0 ? _numerator / _denominator : double.NaN;

    /// <summary>Adds a reward.</summary>
    /// <param name="reward">The reward.</param>
    public void Update(double reward)
    {
        _numerator = (_momentum * _numerator) + ((1 - _momentum) * reward);
        _denominator = (_momentum * _denominator) + (1 - _momentum);
    }
}
