using GradSign.Backends;
using GradSign.Backends.Execution;
using GradSign.Backends.Managed;
using GradSign.Backends.Managed.Kernels;
using GradSign.SearchSpaces.NasBench201;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>
/// Kernels rent their scratch (packed panels, im2col and Winograd workspaces, partial sums) from the
/// <see cref="KernelScratch"/> they are given, the backend's for a compiled network, and give all of it back: the results
/// are the same floats as with the shared pool, the scratch's high-water mark shows the arrays, nothing stays rented, and
/// the backend's TrimBuffers and Dispose drop what it keeps.
/// </summary>
[Trait("Category", "Kernels")]
public class KernelScratchTests
{
    public static TheoryData<int, int, int, int, int, int, int> Convolutions() => new()
    {
        // cin, size, cout, k, stride, pad, algorithm
        { 16, 16, 16, 3, 1, 1, (int)ConvAlgorithm.Direct },
        { 16, 16, 16, 3, 1, 1, (int)ConvAlgorithm.Winograd },  // Winograd where the machine has it (AVX-512), else direct
        { 32, 16, 32, 3, 1, 1, (int)ConvAlgorithm.Auto },      // the tap-GEMM weight gradient (small images)
        { 16, 16, 32, 3, 2, 1, (int)ConvAlgorithm.Auto },      // strided (phased layout, general backward data)
        { 64, 12, 64, 1, 1, 0, (int)ConvAlgorithm.Auto },      // 1x1 (direct layout)
    };

    [Theory]
    [MemberData(nameof(Convolutions))]
    public void Convolution_WithPool_SameFloatsAndScratchFromThePool(int cin, int size, int cout, int k, int stride, int pad, int algorithmId)
    {
        var algorithm = (ConvAlgorithm)algorithmId;
        var g = new ConvGeometry(cin, size, size, cout, k, stride, pad);
        const int batch = 4;
        var random = new Random(7);
        var input = Values(random, batch * g.InputSize);
        var weight = Values(random, g.WeightSize);
        var gradOutput = Values(random, batch * g.OutputSize);

        float[] Forward(KernelScratch? pool)
        {
            var y = new float[batch * g.OutputSize];
            Conv2dForward.Run<float>(g, batch, input, weight, ReadOnlySpan<float>.Empty, y, algorithm: algorithm, scratch: pool);
            return y;
        }

        float[] BackwardData(KernelScratch? pool)
        {
            var dx = new float[batch * g.InputSize];
            Conv2dBackwardData.Run<float>(g, batch, gradOutput, weight, dx, algorithm: algorithm, scratch: pool);
            return dx;
        }

        float[] BackwardWeight(KernelScratch? pool)
        {
            var dw = new float[g.WeightSize];
            Conv2dBackwardWeight.Run<float>(g, batch, input, gradOutput, dw, algorithm: algorithm, scratch: pool);
            return dw;
        }

        // A 1x1 weight gradient reads the images in place (direct layout) and needs little scratch.
        foreach (var (run, rents) in new (Func<KernelScratch?, float[]>, bool)[] { (Forward, true), (BackwardData, true), (BackwardWeight, k > 1) })
        {
            var pool = new KernelScratch();
            var expected = run(null);
            var actual = run(pool);
            Assert.Equal(expected, actual);
            Assert.Equal(0, pool.InUseBytes);
            if (rents)
            {
                Assert.True(pool.HighWaterBytes >= 4096, $"high-water {pool.HighWaterBytes}");
            }
        }
    }

    [Fact]
    public void Gemm_WithPool_SameFloatsAndScratchFromThePool()
    {
        const int m = 40, n = 48, k = 64;
        var random = new Random(3);
        var a = Values(random, m * k);
        var b = Values(random, n * k);
        var expected = new float[m * n];
        var actual = new float[m * n];
        var pool = new KernelScratch();
        Gemm.Multiply<float>(false, true, m, n, k, a, k, b, k, expected, n, false);
        Gemm.Multiply<float>(false, true, m, n, k, a, k, b, k, actual, n, false, scratch: pool);
        Assert.Equal(expected, actual);
        Assert.True(pool.HighWaterBytes >= (long)n * k * sizeof(float), $"high-water {pool.HighWaterBytes}");
        Assert.Equal(0, pool.InUseBytes);
    }

    [Fact]
    public void CompiledNetwork_KernelScratch_FromTheBackendAndDroppedByTrimAndDispose()
    {
        var spec = NasBench201Network.Build(
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|",
            new NasBench201NetworkOptions(Channels: 16, CellsPerStage: 1, InputSize: 16));
        var weights = TestNets.Weights(spec, 5);
        var batch = TestNets.RandomBatch(spec, 4, 6);
        var backend = new ManagedBackend();
        using (var e = backend.Compile(weights, ExecutionOptions.Default))
        {
            e.Backward(batch, Objective.CrossEntropy, (_, _) => { });
        }

        Assert.True(backend.Scratch.HighWaterBytes > 0, "the network's kernels rented no scratch from the backend");
        Assert.Equal(0, backend.Scratch.InUseBytes);

        // Kept arrays come back on the next rent of their size; after TrimBuffers (and Dispose) they are gone.
        var scratch = backend.Scratch;
        var first = KernelScratch.Rent<float>(scratch, 5000);
        KernelScratch.Return(scratch, first);
        Assert.Same(first, KernelScratch.Rent<float>(scratch, 5000));
        KernelScratch.Return(scratch, first);
        backend.TrimBuffers();
        var afterTrim = KernelScratch.Rent<float>(scratch, 5000);
        Assert.NotSame(first, afterTrim);
        KernelScratch.Return(scratch, afterTrim);
        backend.Dispose();
        Assert.NotSame(afterTrim, KernelScratch.Rent<float>(scratch, 5000));
    }

    private static float[] Values(Random random, int count)
    {
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
