using GradSign.Backends.Execution;
using GradSign.Backends;

namespace GradSign.Tests.Backends.Reference;

/// <summary>The objectives: mean cross-entropy and the sum of all logits, with their gradients w.r.t. the logits.</summary>
internal static class ReferenceLoss
{
    public static (T Value, T[] Gradient) Evaluate<T>(Objective objective, T[] logits, int n, int classes, int[]? labels)
        where T : struct, IScalar<T>
    {
        var gradient = new T[logits.Length];
        var value = T.Zero;
        if (objective == Objective.SumOfLogits)
        {
            for (var i = 0; i < logits.Length; i++)
            {
                value += logits[i];
                gradient[i] = T.FromDouble(1);
            }

            return (value, gradient);
        }

        // CE_b = logsumexp(z_b) − z_b[y_b]; L = mean_b CE_b; ∂L/∂z_b = (softmax(z_b) − onehot(y_b)) / n.
        // The max shift only avoids overflow; it is a constant, so it carries no tangent.
        var invN = T.FromDouble(1.0 / n);
        for (var b = 0; b < n; b++)
        {
            var row = b * classes;
            var shift = double.NegativeInfinity;
            for (var k = 0; k < classes; k++)
            {
                shift = Math.Max(shift, logits[row + k].Value);
            }

            var m = T.FromDouble(shift);
            var sum = T.Zero;
            for (var k = 0; k < classes; k++)
            {
                sum += T.Exp(logits[row + k] - m);
            }

            var logSumExp = m + T.Log(sum);
            var label = labels![b];
            value += (logSumExp - logits[row + label]) * invN;
            for (var k = 0; k < classes; k++)
            {
                var p = T.Exp(logits[row + k] - logSumExp);
                gradient[row + k] = (k == label ? p - T.FromDouble(1) : p) * invN;
            }
        }

        return (value, gradient);
    }
}
