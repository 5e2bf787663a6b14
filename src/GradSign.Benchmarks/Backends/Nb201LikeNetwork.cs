using GradSign.Networks;

namespace GradSign.Benchmarks.Backends;

/// <summary>
/// A NAS-Bench-201-shaped network built with <see cref="NetworkBuilder"/> (zero-cost-nas layout: stem, three stages
/// of <c>n</c> cells with reduction blocks between them, BN–ReLU–GAP–linear head), every cell being the best
/// CIFAR-10 cell <c>|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|</c>.
/// Used by the backend benchmarks until the search-space builders are shared.
/// </summary>
public static class Nb201LikeNetwork
{
    /// <summary>Builds the network.</summary>
    /// <param name="channels">Stem channels C.</param>
    /// <param name="cells">Cells per stage N.</param>
    /// <param name="classes">Logits.</param>
    /// <param name="size">Input height and width.</param>
    /// <returns>The spec.</returns>
    public static NetworkSpec Build(int channels = 16, int cells = 5, int classes = 10, int size = 32)
    {
        var b = new NetworkBuilder(3, size, size);
        var x = b.BatchNorm(b.Conv2d(NetworkBuilder.Input, channels, 3, padding: 1, weightName: "stem.net.0.weight"), "stem.net.1");
        var c = channels;
        for (var stage = 0; stage < 3; stage++)
        {
            if (stage > 0)
            {
                x = Reduction(b, x, c, $"reduction{stage}");
                c *= 2;
            }

            for (var i = 0; i < cells; i++)
            {
                x = Cell(b, x, c, $"stack_cell{stage + 1}.{i}");
            }
        }

        x = b.Relu(b.BatchNorm(x, "top.lastact.0"));
        b.Linear(b.GlobalAvgPool(x), classes, "top.classifier");
        return b.Build();
    }

    private static int Cell(NetworkBuilder b, int n0, int c, string name)
    {
        var n1 = Conv(b, n0, c, $"{name}.e0");
        var n2 = b.Add(Conv(b, n0, c, $"{name}.e1"), Conv(b, n1, c, $"{name}.e2"));
        return b.Add(n0, Conv(b, n1, c, $"{name}.e4"), Conv(b, n2, c, $"{name}.e5"));
    }

    private static int Conv(NetworkBuilder b, int x, int c, string name)
        => b.BatchNorm(b.Conv2d(b.Relu(x, wrapperNamedRelu: true), c, 3, padding: 1, bias: true, weightName: $"{name}.op.1.weight"), $"{name}.op.2", affine: false);

    private static int Reduction(NetworkBuilder b, int x, int c, string name)
    {
        var a = b.BatchNorm(b.Conv2d(b.Relu(x, wrapperNamedRelu: true), 2 * c, 3, stride: 2, padding: 1, weightName: $"{name}.conv_a.op.1.weight"), $"{name}.conv_a.op.2", removable: false);
        var o = b.BatchNorm(b.Conv2d(b.Relu(a, wrapperNamedRelu: true), 2 * c, 3, padding: 1, weightName: $"{name}.conv_b.op.1.weight"), $"{name}.conv_b.op.2", removable: false);
        var r = b.Conv2d(b.AvgPool(x, 2, 2), 2 * c, 1, weightName: $"{name}.residual.1.weight");
        return b.Add(r, o);
    }
}
