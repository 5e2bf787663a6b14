using GradSign.Backends;
using GradSign.Internal;
using GradSign.Networks;

namespace GradSign.Tests.Backends;

/// <summary>
/// Seeded random weights, batches and directions for the backend conformance suite. Weights and pixels lie on a
/// 2⁻⁸ grid with magnitude below 4 and directions are small integers, so <c>θ ± Step·u</c> is exactly
/// representable in float32 (at most 20 significant bits): finite differences through the float32
/// <see cref="NetworkWeights"/> and <see cref="Batch"/> then perturb by exactly the intended amount.
/// </summary>
internal static class ConformanceData
{
    /// <summary>Grid of weights and pixels.</summary>
    public const double Grid = 1.0 / 256;

    /// <summary>Finite-difference step, 2⁻¹⁸ ≈ 3.8e-6.</summary>
    public const double Step = 1.0 / (1 << 18);

    /// <summary>Random weights on the grid: conv/linear U(±max(1/√fan_in, 4·grid)), biases U(±0.5), γ U(0.5, 1.5), β U(±0.5).</summary>
    public static NetworkWeights RandomWeights(NetworkSpec spec, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var values = new float[spec.Parameters.Count][];
        foreach (var p in spec.Parameters)
        {
            var (center, half) = p.Kind switch
            {
                ParameterKind.ConvWeight or ParameterKind.LinearWeight => (0.0, Math.Max(1 / Math.Sqrt(p.FanIn), 4 * Grid)),
                ParameterKind.BatchNormWeight => (1.0, 0.5),
                _ => (0.0, 0.5),
            };
            values[p.Index] = [.. Enumerable.Range(0, p.ElementCount).Select(_ => Quantize(center + (((2 * rng.NextDouble()) - 1) * half)))];
        }

        return new NetworkWeights(spec, values);
    }

    /// <summary>A batch of pixels on the grid in [−2, 2], with random labels below the class count (or none).</summary>
    public static Batch RandomBatch(NetworkSpec spec, int count, ulong seed, bool labelled = true)
    {
        var rng = new SplitMix64(seed);
        var (c, h, w) = (spec.InputShape[0], spec.InputShape[1], spec.InputShape[2]);
        var images = Enumerable.Range(0, count * c * h * w).Select(_ => Quantize(((2 * rng.NextDouble()) - 1) * 2)).ToArray();
        int[]? labels = labelled ? [.. Enumerable.Range(0, count).Select(_ => rng.NextInt(spec.NumClasses))] : null;
        return new Batch(images, labels, count, c, h, w);
    }

    /// <summary>A direction of integers in [−3, 3].</summary>
    public static double[] RandomDirection(int length, SplitMix64 rng) => [.. Enumerable.Range(0, length).Select(_ => (double)(rng.NextInt(7) - 3))];

    /// <summary><c>θ + scale·direction</c>, checking that float32 holds it exactly.</summary>
    public static NetworkWeights Perturb(NetworkWeights weights, IReadOnlyList<double[]?> direction, double scale)
    {
        var values = new float[weights.Spec.Parameters.Count][];
        for (var p = 0; p < values.Length; p++)
        {
            values[p] = direction[p] is { } d ? Shift(weights[p], d, scale) : (float[])weights[p].Clone();
        }

        return new NetworkWeights(weights.Spec, values);
    }

    /// <summary>The batch with its pixels moved by <c>scale·direction</c> (exactly, checked).</summary>
    public static Batch Perturb(Batch batch, double[] direction, double scale)
        => new(Shift(batch.Images, direction, scale), batch.Labels, batch.Count, batch.Channels, batch.Height, batch.Width);

    /// <summary>Sample <paramref name="index"/> alone, as a batch of one.</summary>
    public static Batch Single(Batch batch, int index)
    {
        var size = batch.SampleSize;
        int[]? labels = batch.Labels is null ? null : [batch.Labels[index]];
        return new Batch(batch.Images[(index * size)..((index + 1) * size)], labels, 1, batch.Channels, batch.Height, batch.Width);
    }

    /// <summary>The same batch without labels.</summary>
    public static Batch Unlabelled(Batch batch) => new(batch.Images, null, batch.Count, batch.Channels, batch.Height, batch.Width);

    /// <summary>Mean cross-entropy of row-major logits, computed directly (log-sum-exp with max shift).</summary>
    public static double CrossEntropy(double[] logits, int[] labels, int classes)
    {
        var total = 0.0;
        for (var n = 0; n < labels.Length; n++)
        {
            var row = logits.AsSpan(n * classes, classes);
            var max = double.NegativeInfinity;
            foreach (var z in row)
            {
                max = Math.Max(max, z);
            }

            var sum = 0.0;
            foreach (var z in row)
            {
                sum += Math.Exp(z - max);
            }

            total += max + Math.Log(sum) - row[labels[n]];
        }

        return total / labels.Length;
    }

    /// <summary>Σ a·b over every array pair (null counts as zero).</summary>
    public static double Dot(IReadOnlyList<double[]?> a, IReadOnlyList<double[]?> b)
    {
        var sum = 0.0;
        for (var p = 0; p < a.Count; p++)
        {
            if (a[p] is { } x && b[p] is { } y)
            {
                for (var i = 0; i < x.Length; i++)
                {
                    sum += x[i] * y[i];
                }
            }
        }

        return sum;
    }

    private static float Quantize(double value) => (float)(Math.Round(value / Grid) * Grid);

    private static float[] Shift(float[] source, double[] direction, double scale)
    {
        var result = new float[source.Length];
        for (var i = 0; i < source.Length; i++)
        {
            var exact = source[i] + (scale * direction[i]);
            result[i] = (float)exact;
            if (result[i] != exact)
            {
                throw new InvalidOperationException($"Perturbation of element {i} ({source[i]} + {scale * direction[i]}) is not exact in float32.");
            }
        }

        return result;
    }
}
