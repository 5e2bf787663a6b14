using System.Numerics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Training-mode BatchNorm backward. With g = γ·∂L/∂y: ∂L/∂x = r·(g − mean(g) − x̂·mean(g·x̂)) per group, the
/// statistics' dependence on x included. Also records, per (n, c) run, Σ∂L/∂y and Σ∂L/∂y·x̂ (the β and γ gradients
/// of that run), so batch and per-sample parameter gradients need no second pass.
/// </summary>
internal static class BatchNormBackward
{
    /// <summary>Processes groups [<paramref name="firstGroup"/>, +<paramref name="groupCount"/>). An empty
    /// <paramref name="gradInput"/> only records the run sums.</summary>
    public static void Run<T>(in BatchNormLayout layout, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> xhat, ReadOnlySpan<double> invStd,
        ReadOnlySpan<T> gamma, Span<double> runSumDy, Span<double> runSumDyXhat, Span<T> gradInput, bool accumulate, int firstGroup, int groupCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = layout.Spatial;
        var runs = layout.RunsPerGroup;
        double count = layout.Count;
        for (var g = firstGroup; g < firstGroup + groupCount; g++)
        {
            double sumDy = 0, sumDyX = 0;
            for (var k = 0; k < runs; k++)
            {
                var o = layout.Offset(g, k);
                var (a, b) = SumAndDot.Run(gradOutput.Slice(o, s), xhat.Slice(o, s));
                runSumDy[layout.RunIndex(g, k)] = a;
                runSumDyXhat[layout.RunIndex(g, k)] = b;
                sumDy += a;
                sumDyX += b;
            }

            if (gradInput.IsEmpty)
            {
                continue;
            }

            var gam = gamma.IsEmpty ? 1.0 : double.CreateTruncating(gamma[layout.Channel(g)]);
            var r = invStd[g];
            var m1 = gam * sumDy / count;
            var m2 = gam * sumDyX / count;

            // dx = (r·γ)·dy − (r·m2)·x̂ − r·m1
            var cDy = T.CreateTruncating(r * gam);
            var cX = T.CreateTruncating(-r * m2);
            var c0 = T.CreateTruncating(-r * m1);
            for (var k = 0; k < runs; k++)
            {
                var o = layout.Offset(g, k);
                LinearCombination.Run(gradInput.Slice(o, s), accumulate, c0, gradOutput.Slice(o, s), cDy, xhat.Slice(o, s), cX);
            }
        }
    }
}
