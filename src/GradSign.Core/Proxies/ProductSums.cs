namespace GradSign.Proxies;

/// <summary>Per-tensor reductions of weights against gradients, in float64 (the weights are float32 values).</summary>
internal static class ProductSums
{
    /// <summary><c>Σ_k |θ_k · g_k|</c> (SNIP; SynFlow, whose |θ| needs no separate path since |θ·g| = |θ|·|g|).</summary>
    public static double AbsoluteProduct(ReadOnlySpan<float> theta, ReadOnlySpan<double> gradient)
    {
        CheckLengths(theta, gradient);
        var sum = 0.0;
        for (var k = 0; k < theta.Length; k++)
        {
            sum += Math.Abs(theta[k] * gradient[k]);
        }

        return sum;
    }

    /// <summary><c>Σ_k −θ_k · v_k</c> (GraSP with v = Hg).</summary>
    public static double NegativeProduct(ReadOnlySpan<float> theta, ReadOnlySpan<double> v)
    {
        CheckLengths(theta, v);
        var sum = 0.0;
        for (var k = 0; k < theta.Length; k++)
        {
            sum -= theta[k] * v[k];
        }

        return sum;
    }

    private static void CheckLengths(ReadOnlySpan<float> theta, ReadOnlySpan<double> gradient)
    {
        if (theta.Length != gradient.Length)
        {
            throw new InvalidOperationException($"The backend returned {gradient.Length} gradient values for a tensor of {theta.Length} weights.");
        }
    }
}
