using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Backends.Managed;
using GradSign.Internal;
using GradSign.Networks;

namespace GradSign.Tests.Backends.Managed;

/// <summary>
/// Tiny networks, weights and batches for the backend tests. Weights and inputs are multiples of 2⁻¹² in (−2, 2),
/// so θ ± ε·v with ε = 2⁻¹⁷ and v a multiple of 2⁻⁴ in [−1, 1] is exactly representable in float32: finite
/// differences through float32 <see cref="NetworkWeights"/> perturb exactly and are evaluated in float64.
/// </summary>
internal static class TestNets
{
    /// <summary>The managed backend the tests share (its buffer pool is a cache; results never depend on it).</summary>
    public static ManagedBackend Managed { get; } = new();

    public const double Epsilon = 1.0 / (1 << 17);

    public static ExecutionOptions F64 { get; } = new() { Precision = Precision.Float64 };

    /// <summary>Every test net with each objective, for gradient and Hessian theories.</summary>
    public static TheoryData<string, Objective> NetObjectiveCases()
    {
        var data = new TheoryData<string, Objective>();
        foreach (var (name, _) in All())
        {
            data.Add(name, GradSign.Backends.Execution.Objective.CrossEntropy);
            data.Add(name, GradSign.Backends.Execution.Objective.SumOfLogits);
        }

        return data;
    }

    public static float Quantize(double v) => (float)(Math.Round(v * 4096) / 4096);

    /// <summary>Random weights: conv/linear U(±1/√fan_in), γ in [0.5, 1.5], β and biases U(±0.5).</summary>
    public static NetworkWeights Weights(NetworkSpec spec, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var values = spec.Parameters.Select(p =>
        {
            var a = new float[p.ElementCount];
            for (var i = 0; i < a.Length; i++)
            {
                var u = (2 * rng.NextDouble()) - 1;
                a[i] = Quantize(p.Kind switch
                {
                    ParameterKind.BatchNormWeight => 1 + (0.5 * u),
                    ParameterKind.ConvWeight or ParameterKind.LinearWeight => u / Math.Sqrt(p.FanIn),
                    _ => 0.5 * u,
                });
            }

            return a;
        }).ToArray();
        return new NetworkWeights(spec, values);
    }

    public static Batch RandomBatch(NetworkSpec spec, int count, ulong seed, bool labels = true)
    {
        var rng = new SplitMix64(seed);
        var s = spec.InputShape;
        var x = new float[count * s[0] * s[1] * s[2]];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = Quantize((2 * rng.NextDouble()) - 1);
        }

        var y = labels ? Enumerable.Range(0, count).Select(_ => rng.NextInt(spec.NumClasses)).ToArray() : null;
        return new Batch(x, y, count, s[0], s[1], s[2]);
    }

    public static Batch Sample(Batch batch, int index)
    {
        var size = batch.SampleSize;
        return new Batch(batch.Images.AsSpan(index * size, size).ToArray(), batch.Labels is null ? null : [batch.Labels[index]], 1, batch.Channels, batch.Height, batch.Width);
    }

    public static double Objective(NetworkWeights weights, Batch batch, Objective objective, ExecutionOptions? options = null)
    {
        using var e = TestNets.Managed.Compile(weights, options ?? F64);
        return e.Backward(batch, objective).Value;
    }

    /// <summary>Indices of up to <paramref name="count"/> elements spread over a tensor.</summary>
    public static IEnumerable<int> Probe(int length, int count)
        => Enumerable.Range(0, Math.Min(length, count)).Select(i => (int)((long)i * length / Math.Min(length, count))).Distinct();

    /// <summary>conv3x3(bias) → BN(affine) → ReLU → GAP → linear on 3×7×9.</summary>
    public static NetworkSpec ConvBnRelu()
    {
        var b = new NetworkBuilder(3, 7, 9);
        var x = b.Conv2d(NetworkBuilder.Input, 4, kernel: 3, padding: 1, bias: true, weightName: "c1.weight");
        x = b.Relu(b.BatchNorm(x, "bn1"));
        return Finish(b, x);
    }

    /// <summary>strided conv → BN(no affine) → avg pool 3/1/1 (count_include_pad false) → ReLU → avg pool 2/2 (include pad) → GAP → linear.</summary>
    public static NetworkSpec StridedAvgPool()
    {
        var b = new NetworkBuilder(3, 9, 7);
        var x = b.Conv2d(NetworkBuilder.Input, 5, kernel: 3, stride: 2, padding: 1, weightName: "c1.weight");
        x = b.BatchNorm(x, "bn1", affine: false);
        x = b.AvgPool(x, 3, 1, 1, countIncludePad: false);
        x = b.Relu(x);
        x = b.AvgPool(x, 2, 2, 0, countIncludePad: true);
        return Finish(b, x);
    }

    /// <summary>conv1x1 → max pool 3/1/1 → conv → max pool 2/2 on an odd map → GAP → linear.</summary>
    public static NetworkSpec MaxPools()
    {
        var b = new NetworkBuilder(2, 7, 9);
        var x = b.Conv2d(NetworkBuilder.Input, 3, kernel: 1, bias: true, weightName: "c1.weight");
        x = b.MaxPool(x, 3, 1, 1);
        x = b.Conv2d(x, 4, kernel: 3, padding: 1, weightName: "c2.weight");
        x = b.MaxPool(x, 2, 2);
        return Finish(b, x);
    }

    /// <summary>Residual with a <c>none</c> edge: x = conv(in); y = conv(relu(x)); out = x + y + zero(y) → BN → GAP → linear.</summary>
    public static NetworkSpec AddZero()
    {
        var b = new NetworkBuilder(3, 5, 7);
        var x = b.Conv2d(NetworkBuilder.Input, 4, kernel: 3, padding: 1, weightName: "c1.weight");
        var y = b.Conv2d(b.Relu(x), 4, kernel: 3, padding: 1, bias: true, weightName: "c2.weight");
        var dead = b.Conv2d(x, 4, kernel: 1, weightName: "dead.weight");
        var s = b.Add(x, y, b.Zero(y), b.Zero(dead));
        s = b.BatchNorm(s, "bn");
        return Finish(b, s);
    }

    /// <summary>Two branches, each behind its own ReLU of the same tensor (NB201 style), concatenated (4 + 3 channels), truncated to 5, BN, ReLU → GAP → linear.</summary>
    public static NetworkSpec ConcatTruncate()
    {
        var b = new NetworkBuilder(3, 6, 5);
        var x = b.Conv2d(NetworkBuilder.Input, 4, kernel: 3, padding: 1, weightName: "c1.weight");
        var p = b.Conv2d(b.Relu(x), 4, kernel: 1, weightName: "pa.weight");
        var q = b.Conv2d(b.Relu(x), 3, kernel: 3, padding: 1, weightName: "pb.weight");
        var c = b.Truncate(b.Concat(p, q), 5);
        c = b.Relu(b.BatchNorm(c, "bn"));
        return Finish(b, c);
    }

    /// <summary>Smooth: conv → BN(affine) → avg pool → conv(bias) → BN(no affine) → add → GAP → linear (no ReLU, no max).</summary>
    public static NetworkSpec Smooth()
    {
        var b = new NetworkBuilder(3, 7, 5);
        var x = b.Conv2d(NetworkBuilder.Input, 4, kernel: 3, padding: 1, weightName: "c1.weight");
        x = b.BatchNorm(x, "bn1");
        var p = b.AvgPool(x, 3, 1, 1, countIncludePad: false);
        var y = b.Conv2d(p, 4, kernel: 3, padding: 1, bias: true, weightName: "c2.weight");
        y = b.BatchNorm(y, "bn2", affine: false);
        var s = b.Add(x, y);
        s = b.BatchNorm(s, "bn3");
        return Finish(b, s);
    }

    /// <summary>Reduction-block-like net with ReLU, BN, stride and a shortcut, in the NB201 style.</summary>
    public static NetworkSpec MiniResNet()
    {
        var b = new NetworkBuilder(3, 8, 8);
        var x = b.BatchNorm(b.Conv2d(NetworkBuilder.Input, 4, kernel: 3, padding: 1, weightName: "stem.weight"), "stem.bn");
        var a = b.BatchNorm(b.Conv2d(b.Relu(x), 6, kernel: 3, stride: 2, padding: 1, weightName: "a.weight"), "a.bn", removable: false);
        var c = b.BatchNorm(b.Conv2d(b.Relu(a), 6, kernel: 3, padding: 1, weightName: "b.weight"), "b.bn", removable: false);
        var r = b.Conv2d(b.AvgPool(x, 2, 2), 6, kernel: 1, weightName: "res.weight");
        var o = b.Add(r, c);
        var m = b.Conv2d(b.Relu(o), 6, kernel: 1, bias: true, weightName: "cell.weight");
        m = b.BatchNorm(m, "cell.bn", affine: false);
        o = b.Add(o, m, b.MaxPool(o, 3, 1, 1));
        o = b.Relu(b.BatchNorm(o, "last"));
        return Finish(b, o);
    }

    public static IEnumerable<(string Name, NetworkSpec Spec)> All()
    {
        yield return (nameof(ConvBnRelu), ConvBnRelu());
        yield return (nameof(StridedAvgPool), StridedAvgPool());
        yield return (nameof(MaxPools), MaxPools());
        yield return (nameof(AddZero), AddZero());
        yield return (nameof(ConcatTruncate), ConcatTruncate());
        yield return (nameof(Smooth), Smooth());
        yield return (nameof(MiniResNet), MiniResNet());
    }

    public static NetworkSpec ByName(string name) => All().First(n => n.Name == name).Spec;

    private static NetworkSpec Finish(NetworkBuilder b, int x)
    {
        b.Linear(b.GlobalAvgPool(x), 3, "fc");
        return b.Build();
    }
}
