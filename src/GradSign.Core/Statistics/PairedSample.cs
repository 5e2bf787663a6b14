namespace GradSign.Statistics;

/// <summary>
/// The (x, y) pairs a statistic will use after validating lengths and applying a <see cref="NanPolicy"/>.
/// Without NaN the spans alias the caller's inputs; under <see cref="NanPolicy.Omit"/> with NaN they are
/// fresh copies holding only the complete pairs.
/// </summary>
internal readonly ref struct PairedSample
{
    private PairedSample(ReadOnlySpan<double> x, ReadOnlySpan<double> y, bool propagatesNaN)
    {
        X = x;
        Y = y;
        PropagatesNaN = propagatesNaN;
    }

    /// <summary>The x values of the usable pairs.</summary>
    public ReadOnlySpan<double> X { get; }

    /// <summary>The y values of the usable pairs.</summary>
    public ReadOnlySpan<double> Y { get; }

    /// <summary>True when the policy is <see cref="NanPolicy.Propagate"/> and a NaN was seen: the result is NaN.</summary>
    public bool PropagatesNaN { get; }

    /// <summary>The number of pairs used (all of them when propagating a NaN).</summary>
    public int Count => X.Length;

    /// <summary>Validates and filters a pair of inputs.</summary>
    /// <exception cref="ArgumentException">Lengths differ (names <paramref name="yName"/>), or a NaN under <see cref="NanPolicy.Throw"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="policy"/> is not a defined value.</exception>
    public static PairedSample Create(ReadOnlySpan<double> x, ReadOnlySpan<double> y, NanPolicy policy, string xName = "x", string yName = "y")
    {
        ValidatePolicy(policy);
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"{xName} and {yName} must have the same length ({xName} has {x.Length} elements, {yName} has {y.Length}).", yName);
        }

        var firstNaN = IndexOfNaNPair(x, y);
        if (firstNaN < 0)
        {
            return new PairedSample(x, y, propagatesNaN: false);
        }

        switch (policy)
        {
            case NanPolicy.Propagate:
                return new PairedSample(x, y, propagatesNaN: true);
            case NanPolicy.Throw:
                var name = double.IsNaN(x[firstNaN]) ? xName : yName;
                throw new ArgumentException($"{name}[{firstNaN}] is NaN (NanPolicy.Throw); use NanPolicy.Omit to drop such pairs or NanPolicy.Propagate to return NaN.", name);
            default:
                return Omit(x, y, firstNaN);
        }
    }

    /// <summary>Throws when <paramref name="policy"/> is not a defined <see cref="NanPolicy"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="policy"/> is not a defined value.</exception>
    public static void ValidatePolicy(NanPolicy policy, string name = "nanPolicy")
    {
        if (policy is not (NanPolicy.Propagate or NanPolicy.Omit or NanPolicy.Throw))
        {
            throw new ArgumentOutOfRangeException(name, policy, "Unknown NanPolicy.");
        }
    }

    private static int IndexOfNaNPair(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        for (var i = 0; i < x.Length; i++)
        {
            // NaN is the only value unequal to itself; one test per span keeps the loop branch-light.
            if (double.IsNaN(x[i]) || double.IsNaN(y[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static PairedSample Omit(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int firstNaN)
    {
        var keptX = new double[x.Length - 1];
        var keptY = new double[x.Length - 1];
        x[..firstNaN].CopyTo(keptX);
        y[..firstNaN].CopyTo(keptY);
        var count = firstNaN;
        for (var i = firstNaN + 1; i < x.Length; i++)
        {
            if (!double.IsNaN(x[i]) && !double.IsNaN(y[i]))
            {
                keptX[count] = x[i];
                keptY[count] = y[i];
                count++;
            }
        }

        return new PairedSample(keptX.AsSpan(0, count), keptY.AsSpan(0, count), propagatesNaN: false);
    }
}
