using GradSign.Networks;

namespace GradSign.Tests.Backends;

/// <summary>
/// Tiny networks with odd sizes that together exercise every layer type and option of the seam. Theories take
/// the network's name so that xunit can show and serialise the case.
/// </summary>
internal static class ConformanceNetworks
{
    /// <summary>Networks containing ReLU or max pooling (gradients checked by finite differences away from kinks).</summary>
    public static readonly string[] All = ["ConvBnReluMaxPool", "StridedPools", "Graph", "VectorHead", "RemovableBn", "Smooth", "ZeroSums"];

    /// <summary>Networks without ReLU or max pooling: twice differentiable, so finite differences of the gradient give H·v.</summary>
    public static readonly string[] SmoothOnes = ["Smooth", "SmoothBatchNormChain", "SmoothZeroSums"];

    public static NetworkSpec Get(string name) => name switch
    {
        "ConvBnReluMaxPool" => ConvBnReluMaxPool(),
        "StridedPools" => StridedPools(),
        "Graph" => Graph(),
        "VectorHead" => VectorHead(),
        "RemovableBn" => RemovableBn(includeRemovable: true, includeFixed: true),
        "Smooth" => Smooth(),
        "SmoothBatchNormChain" => SmoothBatchNormChain(),
        "ZeroSums" => ZeroSums(),
        "SmoothZeroSums" => SmoothZeroSums(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown conformance network."),
    };

    /// <summary>3×7×6 → conv(bias) → BN → ReLU → conv stride 2 → BN(no affine) → ReLU → max pool 3/1/1 → GAP → linear.</summary>
    public static NetworkSpec ConvBnReluMaxPool()
    {
        var b = new NetworkBuilder(3, 7, 6);
        var x = b.Conv2d(NetworkBuilder.Input, 5, kernel: 3, padding: 1, bias: true, weightName: "c1.weight");
        x = b.Relu(b.BatchNorm(x, "bn1"));
        x = b.Conv2d(x, 7, kernel: 3, stride: 2, padding: 1, weightName: "c2.weight");
        x = b.Relu(b.BatchNorm(x, "bn2", affine: false));
        x = b.MaxPool(x, kernel: 3, stride: 1, padding: 1);
        b.Linear(b.GlobalAvgPool(x), 4, "fc");
        return b.Build();
    }

    /// <summary>3×9×9 → 1×1 conv → ReLU → max pool 2/2 → avg pool 3/2/1 (pad counted) → conv → BN → ReLU → avg pool 3/1/1 (pad not counted) → GAP → linear.</summary>
    public static NetworkSpec StridedPools()
    {
        var b = new NetworkBuilder(3, 9, 9);
        var x = b.Relu(b.Conv2d(NetworkBuilder.Input, 5, kernel: 1, weightName: "c1.weight"));
        x = b.MaxPool(x, kernel: 2, stride: 2);
        x = b.AvgPool(x, kernel: 3, stride: 2, padding: 1, countIncludePad: true);
        x = b.Conv2d(x, 7, kernel: 3, padding: 1, bias: true, weightName: "c2.weight");
        x = b.Relu(b.BatchNorm(x, "bn"));
        x = b.AvgPool(x, kernel: 3, stride: 1, padding: 1, countIncludePad: false);
        b.Linear(b.GlobalAvgPool(x), 3, "fc");
        return b.Build();
    }

    /// <summary>
    /// A DAG with fan-out, add, the zero op (one conv reaches the output only through it: "dead"), concat,
    /// truncate, a non-removable BN and a stride-2 conv.
    /// </summary>
    public static NetworkSpec Graph()
    {
        var b = new NetworkBuilder(3, 5, 5);
        var a = b.Conv2d(NetworkBuilder.Input, 5, kernel: 3, padding: 1, bias: true, weightName: "a.weight");
        var r = b.Relu(a);
        var c1 = b.Conv2d(r, 5, kernel: 1, bias: true, weightName: "b.weight");
        var pooled = b.AvgPool(a, kernel: 3, stride: 1, padding: 1, countIncludePad: false);
        var dead = b.Conv2d(r, 5, kernel: 3, padding: 1, weightName: "dead.weight");
        var sum = b.Add(c1, pooled, b.Zero(dead));
        var cat = b.Concat(sum, r);
        var t = b.Truncate(cat, 7);
        t = b.Relu(b.BatchNorm(t, "bn", removable: false));
        var e = b.Conv2d(t, 5, kernel: 3, stride: 2, padding: 1, weightName: "e.weight");
        b.Linear(b.GlobalAvgPool(e), 4, "fc");
        return b.Build();
    }

    /// <summary>Two linear layers with a ReLU on vectors.</summary>
    public static NetworkSpec VectorHead()
    {
        var b = new NetworkBuilder(3, 6, 5);
        var x = b.Conv2d(NetworkBuilder.Input, 5, kernel: 3, weightName: "c.weight");
        x = b.Relu(b.BatchNorm(x, "bn"));
        var v = b.Relu(b.Linear(b.GlobalAvgPool(x), 6, "fc1"));
        b.Linear(v, 3, "fc2", bias: false);
        return b.Build();
    }

    /// <summary>
    /// Removable and non-removable BatchNorms (affine and not). With both flags the full network; leaving one
    /// out gives the network a <see cref="GradSign.Backends.BatchNormMode"/> should reproduce (same parameter names).
    /// </summary>
    public static NetworkSpec RemovableBn(bool includeRemovable, bool includeFixed)
    {
        var b = new NetworkBuilder(3, 6, 6);
        var x = b.Conv2d(NetworkBuilder.Input, 5, kernel: 3, padding: 1, weightName: "c1.weight");
        x = includeRemovable ? b.BatchNorm(x, "bn1") : x;
        x = b.Conv2d(b.Relu(x), 5, kernel: 3, stride: 2, padding: 1, weightName: "c2.weight");
        x = includeFixed ? b.BatchNorm(x, "bn2", removable: false) : x;
        x = b.Conv2d(b.Relu(x), 6, kernel: 1, bias: true, weightName: "c3.weight");
        x = includeRemovable ? b.BatchNorm(x, "bn3", affine: false) : x;
        b.Linear(b.GlobalAvgPool(x), 3, "fc");
        return b.Build();
    }

    /// <summary>No ReLU, no max pool: conv → BN → avg pool (stride 2) → two branches → concat → truncate → add → GAP → linear.</summary>
    public static NetworkSpec Smooth()
    {
        var b = new NetworkBuilder(3, 6, 7);
        var x = b.Conv2d(NetworkBuilder.Input, 5, kernel: 3, padding: 1, bias: true, weightName: "c1.weight");
        x = b.BatchNorm(x, "bn1");
        x = b.AvgPool(x, kernel: 3, stride: 2, padding: 1, countIncludePad: true);
        var d = b.BatchNorm(b.Conv2d(x, 7, kernel: 1, bias: true, weightName: "c2.weight"), "bn2", affine: false);
        var f = b.Conv2d(x, 3, kernel: 3, padding: 1, weightName: "c3.weight");
        var t = b.Truncate(b.Concat(d, f), 8);
        var g = b.Conv2d(x, 8, kernel: 3, padding: 1, weightName: "c4.weight");
        var s = b.Add(t, b.AvgPool(g, kernel: 3, stride: 1, padding: 1, countIncludePad: false));
        b.Linear(b.GlobalAvgPool(s), 4, "fc");
        return b.Build();
    }

    /// <summary>Three conv → BN blocks in a row (second-order BN terms compound), then GAP → linear.</summary>
    public static NetworkSpec SmoothBatchNormChain()
    {
        var b = new NetworkBuilder(3, 5, 5);
        var x = NetworkBuilder.Input;
        for (var i = 0; i < 3; i++)
        {
            x = b.BatchNorm(b.Conv2d(x, 5, kernel: 3, padding: 1, weightName: $"c{i}.weight"), $"bn{i}", affine: i != 1);
        }

        b.Linear(b.GlobalAvgPool(x), 3, "fc");
        return b.Build();
    }

    /// <summary>
    /// Sums with <c>none</c> inputs (NAS-Bench-201 nodes): one with a single other term that only a ReLU reads, the
    /// same kept for a later sum, one of nothing but zeros behind a ReLU, and a zero a convolution reads.
    /// </summary>
    public static NetworkSpec ZeroSums()
    {
        var b = new NetworkBuilder(3, 6, 7);
        var x = b.Conv2d(NetworkBuilder.Input, 4, kernel: 3, padding: 1, bias: true, weightName: "z1.weight");
        var y = b.Conv2d(b.Relu(x), 4, kernel: 1, weightName: "z2.weight");
        var fused = b.Add(b.Zero(x), y);
        var u = b.Conv2d(b.Relu(fused), 4, kernel: 3, padding: 1, weightName: "z3.weight");
        var kept = b.Add(u, b.Zero(y));
        var v = b.Conv2d(b.Relu(kept), 4, kernel: 1, bias: true, weightName: "z4.weight");
        var zeros = b.Add(b.Zero(x), b.Zero(u));
        var w = b.Conv2d(b.Zero(v), 4, kernel: 1, bias: true, weightName: "z5.weight");
        var s = b.Add(v, b.Relu(zeros), w, b.Zero(x), kept);
        b.Linear(b.GlobalAvgPool(b.Relu(b.BatchNorm(s, "bn"))), 3, "fc");
        return b.Build();
    }

    /// <summary>No ReLU: sums with <c>none</c> inputs (one other term; nothing but zeros) in a twice-differentiable network.</summary>
    public static NetworkSpec SmoothZeroSums()
    {
        var b = new NetworkBuilder(3, 5, 6);
        var x = b.Conv2d(NetworkBuilder.Input, 4, kernel: 3, padding: 1, bias: true, weightName: "z1.weight");
        var p = b.AvgPool(x, kernel: 3, stride: 1, padding: 1, countIncludePad: false);
        var one = b.Add(b.Zero(x), p);
        var y = b.BatchNorm(b.Conv2d(one, 4, kernel: 1, bias: true, weightName: "z2.weight"), "bn1");
        var zeros = b.Add(b.Zero(x), b.Zero(y));
        var s = b.Add(y, zeros, b.Zero(one), one);
        b.Linear(b.GlobalAvgPool(s), 3, "fc");
        return b.Build();
    }
}
