using System.Numerics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Forward-mode derivative of training-mode BatchNorm along (ẋ, γ̇, β̇):
/// x̂̇ = r·(ẋ − mean(ẋ) − x̂·mean(x̂·ẋ)), ṙ = −r²·mean(x̂·ẋ), ẏ = γ·x̂̇ + γ̇·x̂ + β̇.
/// </summary>
internal static class BatchNormTangent
{
    /// <summary>Processes groups [<paramref name="firstGroup"/>, +<paramref name="groupCount"/>). Without affine parameters
    /// <paramref name="yDot"/> is ignored (the output tangent is x̂̇).</summary>
    public static void Run<T>(in BatchNormLayout layout, ReadOnlySpan<T> xDot, ReadOnlySpan<T> xhat, ReadOnlySpan<double> invStd,
        ReadOnlySpan<T> gamma, ReadOnlySpan<T> gammaDot, ReadOnlySpan<T> betaDot, Span<T> xhatDot, Span<T> yDot, Span<double> invStdDot,
        int firstGroup, int groupCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = layout.Spatial;
        var runs = layout.RunsPerGroup;
        double count = layout.Count;
        for (var g = firstGroup; g < firstGroup + groupCount; g++)
        {
            double sumXd = 0, sumXhatXd = 0;
            for (var k = 0; k < runs; k++)
            {
                var o = layout.Offset(g, k);
                sumXd += PackedSum.Sum(xDot.Slice(o, s));
                sumXhatXd += PackedSum.Dot(xhat.Slice(o, s), xDot.Slice(o, s));
            }

            var r = invStd[g];
            var a1 = sumXd / count;
            var a2 = sumXhatXd / count;
            invStdDot[g] = -r * r * a2;
            var cXd = T.CreateTruncating(r);
            var cX = T.CreateTruncating(-r * a2);
            var c0 = T.CreateTruncating(-r * a1);
            var c = layout.Channel(g);
            for (var k = 0; k < runs; k++)
            {
                var o = layout.Offset(g, k);
                var xhd = xhatDot.Slice(o, s);
                LinearCombination.Run(xhd, false, c0, xDot.Slice(o, s), cXd, xhat.Slice(o, s), cX);
                if (!gamma.IsEmpty)
                {
                    // ẏ = γ·x̂̇ + γ̇·x̂ + β̇
                    LinearCombination.Run(yDot.Slice(o, s), false, betaDot[c], xhd, gamma[c], xhat.Slice(o, s), gammaDot[c]);
                }
            }
        }
    }
}
