using System.Numerics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Training-mode BatchNorm forward: per group, μ = mean(x), σ² = biased variance, r = 1/√(σ² + ε),
/// x̂ = (x − μ)·r, y = γ·x̂ + β. Sums are accumulated in float64 run by run (each run summed vectorised in T).
/// </summary>
/// <remarks>
/// <para>Accurate rounding (default): σ² = Σ(x − μ)² / M in float64, <c>y = ((x − μ)·r)·γ + β</c>.</para>
/// <para>Reference rounding (<c>referenceRounding</c>), PyTorch 1.13's CPU kernel step by step
/// (<c>batch_norm_cpu_collect_stats_contiguous_impl</c>, <c>batch_norm_cpu_update_stats_template</c>,
/// <c>batch_norm_cpu_contiguous_impl</c>): μ = T(Σx / M) as above; Σ T((x − μ)²) summed in float64, stored as T and
/// divided by M in T; r = T(1/√(σ² + ε)) in float64; α = T(r·γ), β' = fma(−μ, α, β); <c>y = fma(x, α, β')</c>. Given
/// the reference's input bit for bit, the output is the reference's bit for bit — which decides max-pool near-ties and
/// ReLUs at the threshold as the reference does. It is less accurate than the default where y ≈ 0 (β' carries the
/// rounding of μ·α), so it is only worth using when the input is the reference's own.</para>
/// </remarks>
internal static class BatchNormForward
{
    /// <summary>Normalises groups [<paramref name="firstGroup"/>, +<paramref name="groupCount"/>). Without affine parameters
    /// (<paramref name="gamma"/> empty) <paramref name="y"/> is ignored and x̂ is the output. With <paramref name="relu"/>
    /// (as long as the output), <c>max(output, 0)</c> is written there too, run by run while the run is in cache.</summary>
    public static void Run<T>(in BatchNormLayout layout, ReadOnlySpan<T> x, Span<T> xhat, Span<T> y,
        ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<double> invStd, double epsilon, int firstGroup, int groupCount, bool referenceRounding = false,
        Span<T> relu = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = layout.Spatial;
        var runs = layout.RunsPerGroup;
        double count = layout.Count;
        for (var g = firstGroup; g < firstGroup + groupCount; g++)
        {
            // Run k of the group starts at Offset(g, 0) + k·C·S (one run per group with per-sample statistics).
            var first = layout.Offset(g, 0);
            var stride = layout.Channels * s;
            var sum = RunSums.Sum(x, first, stride, s, runs);
            var mean = T.CreateTruncating(sum / count);
            var squares = 0.0;
            if (referenceRounding)
            {
                squares = RunSums.SumOfRoundedSquares(x, first, stride, s, runs, mean);
            }
            else
            {
                for (var k = 0; k < runs; k++)
                {
                    squares += SumOfSquaredDeviations.Run(x.Slice(layout.Offset(g, k), s), mean);
                }
            }

            var variance = referenceRounding ? double.CreateTruncating(T.CreateTruncating(squares) / T.CreateTruncating(count)) : squares / count;
            var r = 1.0 / Math.Sqrt(variance + epsilon);
            invStd[g] = r;
            var rt = T.CreateTruncating(r);
            var c = layout.Channel(g);
            var affine = !gamma.IsEmpty;
            var gam = affine ? gamma[c] : T.One;
            var bet = affine && !beta.IsEmpty ? beta[c] : T.Zero;
            if (referenceRounding)
            {
                var alpha = rt * gam;
                var shift = T.FusedMultiplyAdd(-mean, alpha, bet);
                for (var k = 0; k < runs; k++)
                {
                    var o = layout.Offset(g, k);
                    NormalizeFused.Run(x.Slice(o, s), mean, rt, alpha, shift, xhat.Slice(o, s), affine, affine ? y.Slice(o, s) : default);
                    Relu(affine ? y : xhat, relu, o, s);
                }

                continue;
            }

            for (var k = 0; k < runs; k++)
            {
                var o = layout.Offset(g, k);
                Normalize.Run(x.Slice(o, s), mean, rt, xhat.Slice(o, s), affine, gam, bet, affine ? y.Slice(o, s) : default);
                Relu(affine ? y : xhat, relu, o, s);
            }
        }
    }

    private static void Relu<T>(Span<T> output, Span<T> relu, int offset, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!relu.IsEmpty)
        {
            ReluForward.Run<T>(output.Slice(offset, length), relu.Slice(offset, length));
        }
    }
}
