using System.Numerics.Tensors;

namespace GradSign.Statistics;

/// <summary>Pearson's r of NaN-free data, two-pass (centre, then dot products) as scipy's <c>pearsonr</c>.</summary>
internal static class PearsonCore
{
    /// <summary>
    /// Pearson's r clipped to [−1, 1]; NaN for fewer than 2 pairs, a constant input, or an infinite value
    /// (whose mean, and hence every centred value, is not finite).
    /// </summary>
    public static double Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> centredX, Span<double> centredY)
    {
        var n = x.Length;
        if (n < 2 || IsConstant(x) || IsConstant(y))
        {
            return double.NaN;
        }

        // r does not change when x or y is scaled, so magnitudes whose sums or squares would overflow (±1e308) or underflow
        // (1e-300) are first brought near 1 by a power of two — exact, so ordinary data gives the same bits as unscaled.
        if (!Scale(x, centredX) || !Scale(y, centredY))
        {
            return double.NaN;
        }

        // Centring first (rather than the one-pass Σxy − n·x̄·ȳ) avoids cancellation; do not simplify.
        TensorPrimitives.Subtract(centredX, TensorPrimitives.Sum((ReadOnlySpan<double>)centredX) / n, centredX);
        TensorPrimitives.Subtract(centredY, TensorPrimitives.Sum((ReadOnlySpan<double>)centredY) / n, centredY);
        var sxx = TensorPrimitives.Dot(centredX, centredX);
        var syy = TensorPrimitives.Dot(centredY, centredY);
        var sxy = TensorPrimitives.Dot(centredX, centredY);
        if (sxx == 0 || syy == 0)
        {
            return double.NaN;
        }

        // Normalising each factor separately keeps sxx·syy from overflowing for large magnitudes.
        var r = sxy / (Math.Sqrt(sxx) * Math.Sqrt(syy));
        return Math.Clamp(r, -1.0, 1.0);
    }

    /// <summary>
    /// Copies <paramref name="values"/> into <paramref name="scaled"/>, multiplied by 2^−e when the largest magnitude 2^e is
    /// beyond 2^±400 (n² · (2·2^400)² stays far below the double range for any span length).
    /// </summary>
    /// <returns>False when a value is infinite (r is then undefined).</returns>
    private static bool Scale(ReadOnlySpan<double> values, Span<double> scaled)
    {
        var largest = Math.Abs(TensorPrimitives.MaxMagnitude(values));
        if (double.IsInfinity(largest))
        {
            return false;
        }

        var exponent = largest == 0 ? 0 : Math.ILogB(largest);
        if (exponent is > 400 or < -400)
        {
            // Element-wise ScaleB, not a multiply by 2^−e: that factor itself over- or underflows for subnormal maxima.
            for (var i = 0; i < values.Length; i++)
            {
                scaled[i] = Math.ScaleB(values[i], -exponent);
            }
        }
        else
        {
            values.CopyTo(scaled);
        }

        return true;
    }

    /// <summary>True when every element equals the first (−0.0 equals +0.0).</summary>
    public static bool IsConstant(ReadOnlySpan<double> values)
    {
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] != values[0])
            {
                return false;
            }
        }

        return true;
    }
}
