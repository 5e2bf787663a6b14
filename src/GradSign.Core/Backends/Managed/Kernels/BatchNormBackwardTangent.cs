using System.Numerics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Tangent of BatchNorm's backward pass (the R-operator applied to <see cref="BatchNormBackward"/>). With g = γ·dy,
/// ġ = γ·ḋy + γ̇·dy, m1 = mean(g), m2 = mean(g·x̂), ṁ1 = mean(ġ), ṁ2 = mean(ġ·x̂ + g·x̂̇):
/// ḋx = ṙ·(g − m1 − x̂·m2) + r·(ġ − ṁ1 − x̂̇·m2 − x̂·ṁ2); also γ̇-gradient Σ(ḋy·x̂ + dy·x̂̇) and β̇-gradient Σḋy per group.
/// </summary>
internal static class BatchNormBackwardTangent
{
    /// <summary>Processes groups [<paramref name="firstGroup"/>, +<paramref name="groupCount"/>). An empty
    /// <paramref name="gradInputDot"/> only records the parameter sums.</summary>
    public static void Run<T>(in BatchNormLayout layout, ReadOnlySpan<T> dy, ReadOnlySpan<T> dyDot, ReadOnlySpan<T> xhat, ReadOnlySpan<T> xhatDot,
        ReadOnlySpan<double> invStd, ReadOnlySpan<double> invStdDot, ReadOnlySpan<T> gamma, ReadOnlySpan<T> gammaDot,
        Span<double> groupGammaDot, Span<double> groupBetaDot, Span<T> gradInputDot, bool accumulate, int firstGroup, int groupCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = layout.Spatial;
        var runs = layout.RunsPerGroup;
        double count = layout.Count;
        for (var g = firstGroup; g < firstGroup + groupCount; g++)
        {
            double sDy = 0, sDyX = 0, sDyd = 0, sDydX = 0, sDyXd = 0;
            for (var k = 0; k < runs; k++)
            {
                var o = layout.Offset(g, k);
                var d = dy.Slice(o, s);
                var dd = dyDot.Slice(o, s);
                var xh = xhat.Slice(o, s);
                sDy += PackedSum.Sum(d);
                sDyX += PackedSum.Dot(d, xh);
                sDyd += PackedSum.Sum(dd);
                sDydX += PackedSum.Dot(dd, xh);
                sDyXd += PackedSum.Dot(d, xhatDot.Slice(o, s));
            }

            groupGammaDot[g] = sDydX + sDyXd;
            groupBetaDot[g] = sDyd;
            if (gradInputDot.IsEmpty)
            {
                continue;
            }

            var c = layout.Channel(g);
            var gam = gamma.IsEmpty ? 1.0 : double.CreateTruncating(gamma[c]);
            var gamDot = gammaDot.IsEmpty ? 0.0 : double.CreateTruncating(gammaDot[c]);
            var r = invStd[g];
            var rd = invStdDot[g];
            var m1 = gam * sDy / count;
            var m2 = gam * sDyX / count;
            var m1d = ((gam * sDyd) + (gamDot * sDy)) / count;
            var m2d = ((gam * sDydX) + (gamDot * sDyX) + (gam * sDyXd)) / count;

            // ḋx = (ṙγ + rγ̇)·dy + rγ·ḋy + (−ṙ·m2 − r·ṁ2)·x̂ + (−r·m2)·x̂̇ + (−ṙ·m1 − r·ṁ1)
            var cDy = T.CreateTruncating((rd * gam) + (r * gamDot));
            var cDyd = T.CreateTruncating(r * gam);
            var cX = T.CreateTruncating((-rd * m2) - (r * m2d));
            var cXd = T.CreateTruncating(-r * m2);
            var c0 = T.CreateTruncating((-rd * m1) - (r * m1d));
            for (var k = 0; k < runs; k++)
            {
                var o = layout.Offset(g, k);
                LinearCombination.Run(gradInputDot.Slice(o, s), accumulate, c0,
                    dy.Slice(o, s), cDy, dyDot.Slice(o, s), cDyd, xhat.Slice(o, s), cX, xhatDot.Slice(o, s), cXd);
            }
        }
    }
}
