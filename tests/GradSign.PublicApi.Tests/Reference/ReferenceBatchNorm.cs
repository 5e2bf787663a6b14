namespace GradSign.Tests.Backends.Reference;

/// <summary>
/// Training-mode BatchNorm2d: per channel c, over all (n, h, w) of the tensor it receives,
/// <c>μ = mean(x)</c>, <c>σ² = mean((x − μ)²)</c> (biased), <c>x̂ = (x − μ)/√(σ² + eps)</c>, <c>y = γ·x̂ + β</c>
/// (γ = 1, β = 0 without affine parameters). The statistics are recomputed in the backward pass rather than
/// cached, so the two passes are independent and easy to read.
/// </summary>
internal static class ReferenceBatchNorm
{
    public static T[] Forward<T>(int channels, int spatial, double epsilon, T[] x, int n, T[]? gamma, T[]? beta)
        where T : struct, IScalar<T>
    {
        var y = new T[x.Length];
        for (var c = 0; c < channels; c++)
        {
            var (_, _, xhat) = Normalize(channels, spatial, epsilon, x, n, c);
            var g = gamma is null ? T.FromDouble(1) : gamma[c];
            var b = beta is null ? T.Zero : beta[c];
            var m = 0;
            foreach (var index in Indices(channels, spatial, n, c))
            {
                y[index] = (g * xhat[m++]) + b;
            }
        }

        return y;
    }

    /// <summary>
    /// Accumulates the gradients. With <c>d = ∂L/∂x̂ = γ·∂L/∂y</c> and m values per channel, the standard result
    /// (μ and σ² depend on every x) is <c>∂L/∂x = (d − mean(d) − x̂·mean(d·x̂)) / √(σ² + eps)</c>.
    /// </summary>
    public static void Backward<T>(int channels, int spatial, double epsilon, T[] x, T[] gy, int n, T[]? gamma, T[] gx, T[]? gGamma, T[]? gBeta)
        where T : struct, IScalar<T>
    {
        for (var c = 0; c < channels; c++)
        {
            var (count, sigma, xhat) = Normalize(channels, spatial, epsilon, x, n, c);
            var g = gamma is null ? T.FromDouble(1) : gamma[c];
            var indices = Indices(channels, spatial, n, c).ToArray();
            var sumGy = T.Zero;
            var sumGyXhat = T.Zero;
            for (var m = 0; m < count; m++)
            {
                sumGy += gy[indices[m]];
                sumGyXhat += gy[indices[m]] * xhat[m];
            }

            if (gGamma is not null)
            {
                gGamma[c] += sumGyXhat;
            }

            if (gBeta is not null)
            {
                gBeta[c] += sumGy;
            }

            var inv = T.FromDouble(1.0 / count);
            var meanD = g * sumGy * inv;
            var meanDXhat = g * sumGyXhat * inv;
            for (var m = 0; m < count; m++)
            {
                var d = g * gy[indices[m]];
                gx[indices[m]] += (d - meanD - (xhat[m] * meanDXhat)) / sigma;
            }
        }
    }

    private static (int Count, T Sigma, T[] Xhat) Normalize<T>(int channels, int spatial, double epsilon, T[] x, int n, int c)
        where T : struct, IScalar<T>
    {
        var count = n * spatial;
        var inv = T.FromDouble(1.0 / count);
        var sum = T.Zero;
        foreach (var index in Indices(channels, spatial, n, c))
        {
            sum += x[index];
        }

        var mean = sum * inv;
        var sq = T.Zero;
        foreach (var index in Indices(channels, spatial, n, c))
        {
            var d = x[index] - mean;
            sq += d * d;
        }

        var sigma = T.Sqrt((sq * inv) + T.FromDouble(epsilon));
        var xhat = new T[count];
        var m = 0;
        foreach (var index in Indices(channels, spatial, n, c))
        {
            xhat[m++] = (x[index] - mean) / sigma;
        }

        return (count, sigma, xhat);
    }

    // Flat NCHW indices of channel c, sample-major.
    private static IEnumerable<int> Indices(int channels, int spatial, int n, int c)
    {
        for (var b = 0; b < n; b++)
        {
            var start = ((b * channels) + c) * spatial;
            for (var q = 0; q < spatial; q++)
            {
                yield return start + q;
            }
        }
    }
}
