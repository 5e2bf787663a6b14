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

        // Centring first (rather than the one-pass Σxy − n·x̄·ȳ) avoids cancellation; do not simplify.
        TensorPrimitives.Subtract(x, TensorPrimitives.Sum(x) / n, centredX);
        TensorPrimitives.Subtract(y, TensorPrimitives.Sum(y) / n, centredY);
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
