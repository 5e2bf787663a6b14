using GradSign.Backends;
using GradSign.Networks;
using GradSign.Tests.Backends.Reference;

namespace GradSign.Tests.Networks;

public class NetworkBuilderResNetTests
{
    // A small ResNet: stem, one identity basic block, one stride-2 block with a 1x1 projection shortcut, head.
    private static NetworkSpec BuildResNet()
    {
        var b = new NetworkBuilder(3, 8, 8);
        var x = b.Conv2d(NetworkBuilder.Input, 4, kernel: 3, padding: 1, weightName: "stem.conv.weight");
        x = b.Relu(b.BatchNorm(x, "stem.bn"), "stem.relu");
        x = Block(b, x, 4, stride: 1, "block1");
        x = Block(b, x, 8, stride: 2, "block2");
        b.Linear(b.GlobalAvgPool(x, "pool"), 5, "fc");
        return b.Build();
    }

    private static int Block(NetworkBuilder b, int x, int channels, int stride, string name)
    {
        var y = b.Conv2d(x, channels, kernel: 3, stride: stride, padding: 1, weightName: $"{name}.conv1.weight");
        y = b.Relu(b.BatchNorm(y, $"{name}.bn1"));
        y = b.Conv2d(y, channels, kernel: 3, padding: 1, weightName: $"{name}.conv2.weight");
        y = b.BatchNorm(y, $"{name}.bn2");
        var shortcut = stride == 1 && b.ShapeOf(x)[0] == channels
            ? x
            : b.BatchNorm(b.Conv2d(x, channels, kernel: 1, stride: stride, weightName: $"{name}.shortcut.conv.weight"), $"{name}.shortcut.bn");
        return b.Relu(b.AddNamed($"{name}.add", y, shortcut), $"{name}.relu");
    }

    [Fact]
    public void Build_ResNetLike_ShapesParametersAndCost()
    {
        var spec = BuildResNet();
        Assert.Equal([3, 8, 8], spec.InputShape);
        Assert.Equal(5, spec.NumClasses);
        Assert.Equal([8, 4, 4], spec.Layers.OfType<AddLayer>().Single(a => a.Name == "block2.add").OutputShape);
        long expected =
            (4 * 3 * 9) + 8 +                      // stem conv + BN
            (4 * 4 * 9) + 8 + (4 * 4 * 9) + 8 +    // block1
            (8 * 4 * 9) + 16 + (8 * 8 * 9) + 16 +  // block2 main path
            (8 * 4) + 16 +                         // block2 projection
            (5 * 8) + 5;                           // fc
        Assert.Equal(expected, spec.ParameterCount);
        Assert.Equal(
            (4L * 8 * 8 * 3 * 9) + (2L * 4 * 8 * 8 * 4 * 9) + (8L * 4 * 4 * 4 * 9) + (8L * 4 * 4 * 8 * 9) + (8L * 4 * 4 * 4) + (8 * 5),
            NetworkCost.MultiplyAccumulates(spec));
        Assert.Equal("block2.shortcut.conv.weight", spec.FindParameter("block2.shortcut.conv.weight")!.Name);
        Assert.Null(spec.FindParameter("block1.shortcut.conv.weight"));
    }

    [Fact]
    public void Build_ResNetLike_RunsOnReferenceBackendAndIsDeterministic()
    {
        var spec = BuildResNet();
        var weights = NetworkWeights.Initialize(spec, 11);
        var images = new float[2 * 3 * 8 * 8];
        for (var i = 0; i < images.Length; i++)
        {
            images[i] = (float)Math.Sin(i * 0.37);
        }

        var batch = new Batch(images, [1, 3], 2, 3, 8, 8);
        using var exec = new ReferenceBackend().Compile(weights, ExecutionOptions.Default);
        var logits = new double[10];
        exec.Forward(batch, logits);
        Assert.All(logits, v => Assert.True(double.IsFinite(v)));
        var again = new double[10];
        using var exec2 = new ReferenceBackend().Compile(NetworkWeights.Initialize(spec, 11), ExecutionOptions.Default);
        exec2.Forward(batch, again);
        Assert.Equal(logits, again);
    }

    [Fact]
    public void Conv2dWithParameters_DeclaredFirst_ParameterOrderDiffersFromLayerOrder()
    {
        var b = new NetworkBuilder(3, 4, 4);
        var w2 = b.AddParameter("second.weight", ParameterKind.ConvWeight, [2, 2, 1, 1], ParameterInit.Normal(1));
        var w1 = b.AddParameter("first.weight", ParameterKind.ConvWeight, [2, 3, 3, 3], ParameterInit.Normal(1));
        var g = b.AddParameter("bn.weight", ParameterKind.BatchNormWeight, [2], ParameterInit.Constant(1));
        var beta = b.AddParameter("bn.bias", ParameterKind.BatchNormBias, [2], ParameterInit.Constant(0));
        var x = b.Conv2dWithParameters(NetworkBuilder.Input, w1, null, padding: 1);
        x = b.BatchNormWithParameters(x, "bn", g, beta);
        x = b.Conv2dWithParameters(x, w2, null);
        b.Linear(b.GlobalAvgPool(x), 2, "fc");
        var spec = b.Build();
        Assert.Equal(["second.weight", "first.weight", "bn.weight", "bn.bias", "fc.weight", "fc.bias"], spec.Parameters.Select(p => p.Name));
        Assert.Equal(w1, spec.Layers.OfType<Conv2dLayer>().First().Weight);

        Assert.Throws<ArgumentException>(() => b.Conv2dWithParameters(NetworkBuilder.Input, w2, null)); // 2 input channels != 3
        Assert.Throws<ArgumentException>(() => b.Conv2dWithParameters(NetworkBuilder.Input, g, null));  // not a conv weight
        Assert.Throws<ArgumentOutOfRangeException>(() => b.Conv2dWithParameters(NetworkBuilder.Input, 99, null));
        Assert.Throws<ArgumentException>(() => b.BatchNormWithParameters(NetworkBuilder.Input, "bn2", g, beta)); // 3 channels != 2
    }
}
