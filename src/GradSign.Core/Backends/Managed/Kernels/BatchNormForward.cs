using System.Numerics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Training-mode BatchNorm forward: per group, μ = mean(x), σ² = biased variance, r = 1/√(σ² + ε),
/// x̂ = (x − μ)·r, y = γ·x̂ + β. Sums are accumulated in float64 run by run (each run summed vectorised in T).
/// </summary>
internal static class BatchNormForward
{
    /// <summary>Normalises groups [<paramref name="firstGroup"/>, +<paramref name="groupCount"/>). Without affine parameters
    /// (<paramref name="gamma"/> empty) <paramref name="y"/> is ignored and x̂ is the output.</summary>
    public static void Run<T>(in BatchNormLayout layout, ReadOnlySpan<T> x, Span<T> xhat, Span<T> y,
        ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<double> invStd, double epsilon, int firstGroup, int groupCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = layout.Spatial;
        var runs = layout.RunsPerGroup;
        double count = layout.Count;
        for (var g = firstGroup; g < firstGroup + groupCount; g++)
        {
            var sum = 0.0;
            for (var k = 0; k < runs; k++)
            {
                sum += PackedSum.Sum(x.Slice(layout.Offset(g, k), s));
            }

            var mean = T.CreateTruncating(sum / count);
            var squares = 0.0;
            for (var k = 0; k < runs; k++)
            {
                squares += SumOfSquaredDeviations.Run(x.Slice(layout.Offset(g, k), s), mean);
            }

            var r = 1.0 / Math.Sqrt((squares / count) + epsilon);
            invStd[g] = r;
            var rt = T.CreateTruncating(r);
            var c = layout.Channel(g);
            var affine = !gamma.IsEmpty;
            var gam = affine ? gamma[c] : T.One;
            var bet = affine && !beta.IsEmpty ? beta[c] : T.Zero;
            for (var k = 0; k < runs; k++)
            {
                var o = layout.Offset(g, k);
                Normalize.Run(x.Slice(o, s), mean, rt, xhat.Slice(o, s), affine, gam, bet, affine ? y.Slice(o, s) : default);
            }
        }
    }
}
