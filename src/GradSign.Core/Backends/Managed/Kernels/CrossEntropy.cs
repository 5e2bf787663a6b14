using System.Numerics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Cross-entropy of logits against labels: per sample <c>ℓ = logsumexp(z) − z[label]</c>, with gradient
/// <c>scale·(softmax(z) − onehot)</c> and, for a logit tangent ż, gradient tangent <c>scale·p⊙(ż − p·ż)</c>.
/// The softmax is evaluated in float64.
/// </summary>
internal static class CrossEntropy
{
    /// <summary>Returns Σ_n ℓ_n (unscaled) and writes the gradient scaled by <paramref name="scale"/>.</summary>
    public static double Run<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> labels, int classes, T scale, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var total = 0.0;
        var s = double.CreateTruncating(scale);
        for (var n = 0; n < labels.Length; n++)
        {
            var z = logits.Slice(n * classes, classes);
            var g = gradient.Slice(n * classes, classes);
            var lse = LogSumExp(z);
            total += lse - double.CreateTruncating(z[labels[n]]);
            for (var k = 0; k < classes; k++)
            {
                var p = Math.Exp(double.CreateTruncating(z[k]) - lse);
                g[k] = T.CreateTruncating(s * (p - (k == labels[n] ? 1.0 : 0.0)));
            }
        }

        return total;
    }

    /// <summary>Writes the gradient's tangent for the logit tangent <paramref name="logitsDot"/>.</summary>
    public static void Tangent<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> logitsDot, int batch, int classes, T scale, Span<T> gradientDot)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = double.CreateTruncating(scale);
        for (var n = 0; n < batch; n++)
        {
            var z = logits.Slice(n * classes, classes);
            var zd = logitsDot.Slice(n * classes, classes);
            var gd = gradientDot.Slice(n * classes, classes);
            var lse = LogSumExp(z);
            var pz = 0.0;
            for (var k = 0; k < classes; k++)
            {
                pz += Math.Exp(double.CreateTruncating(z[k]) - lse) * double.CreateTruncating(zd[k]);
            }

            for (var k = 0; k < classes; k++)
            {
                var p = Math.Exp(double.CreateTruncating(z[k]) - lse);
                gd[k] = T.CreateTruncating(s * p * (double.CreateTruncating(zd[k]) - pz));
            }
        }
    }

    private static double LogSumExp<T>(ReadOnlySpan<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = double.NegativeInfinity;
        foreach (var v in z)
        {
            max = Math.Max(max, double.CreateTruncating(v));
        }

        if (double.IsInfinity(max))
        {
            return max;
        }

        var sum = 0.0;
        foreach (var v in z)
        {
            sum += Math.Exp(double.CreateTruncating(v) - max);
        }

        return max + Math.Log(sum);
    }
}
