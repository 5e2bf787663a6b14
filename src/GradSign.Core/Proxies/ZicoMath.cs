using System.Numerics;

namespace GradSign.Proxies;

/// <summary>
/// ZiCo's per-tensor statistic, element by element in the gradients' own precision with NumPy's operation order
/// (<c>np.std(G, axis=0)</c>, <c>np.mean(np.abs(G), axis=0)</c> on a parts × elements array), because ZiCo is
/// dominated by the elements whose part gradients nearly agree: their ratio is the reciprocal of a rounding-sized
/// difference, so the arithmetic must round as the reference's does.
/// </summary>
internal static class ZicoMath
{
    /// <summary>
    /// <c>Σ_k mean_p|g_pk| / std_p g_pk</c> over the elements whose standard deviation is not zero (ratios summed in
    /// float64), and how many elements that is.
    /// </summary>
    /// <param name="gradients">Part-major: part p's gradient of element k at <c>p · elements + k</c>.</param>
    /// <param name="parts">Number of parts.</param>
    /// <param name="elements">Elements of the tensor.</param>
    public static (double Sum, int Kept) RatioSum<T>(ReadOnlySpan<T> gradients, int parts, int elements)
        where T : IFloatingPointIeee754<T>
    {
        var n = T.CreateTruncating(parts);
        var sum = 0.0;
        var kept = 0;
        for (var k = 0; k < elements; k++)
        {
            // np.std: mean = (Σ_p g) / n, then sqrt((Σ_p (g − mean)²) / n); every step rounded in T, parts in order.
            var total = T.Zero;
            for (var p = 0; p < parts; p++)
            {
                total += gradients[(p * elements) + k];
            }

            var mean = total / n;
            var squares = T.Zero;
            var absolute = T.Zero;
            for (var p = 0; p < parts; p++)
            {
                var g = gradients[(p * elements) + k];
                var d = g - mean;
                squares += d * d;
                absolute += T.Abs(g);
            }

            var std = T.Sqrt(squares / n);
            if (std == T.Zero)
            {
                continue; // np.nonzero(std): zero (and only zero) standard deviations are left out
            }

            sum += double.CreateTruncating(absolute / n / std);
            kept++;
        }

        return (sum, kept);
    }
}
