using System.Numerics;
using GradSign.Backends.Managed;
using GradSign.Backends.Managed.Kernels;
using static GradSign.Tests.Backends.Managed.Kernels.KernelTestData;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>
/// The channel-block summation order (<see cref="ConvSummation"/>) against a scalar loop that sums in oneDNN's order:
/// per output element, one fused-multiply-add chain from zero per block of input channels over (i, j, c), the block
/// sums added in order to the bias. Bit-identical, on odd sizes, with and without bias, stride 1 and 2.
/// </summary>
[Trait("Category", "Kernels")]
public class ConvSummationKernelTests
{
    public static TheoryData<int, int, int, int, int, int, int, int> Cases() => new()
    {
        // cin, size, cout, k, stride, pad, batch, channel block
        { 3, 17, 16, 3, 1, 1, 2, 16 },   // one block (the stem): (i, j, c) order
        { 16, 9, 11, 3, 1, 1, 3, 16 },   // exactly one block, odd outputs (bias)
        { 21, 8, 22, 3, 1, 1, 2, 16 },   // a partial second block (NB101 vertex channels)
        { 43, 11, 13, 3, 1, 1, 2, 16 },  // three blocks, odd everything (bias)
        { 40, 12, 9, 3, 2, 1, 2, 16 },   // strided (phased layout), bias
        { 37, 10, 8, 5, 1, 2, 1, 8 },    // 5x5, another block size
        { 33, 7, 5, 1, 1, 0, 2, 16 },    // 1x1: blocks of the plain channel order (bias)
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_ChannelBlocks_Float_BitIdenticalToScalarBlockOrder(int cin, int size, int cout, int k, int stride, int pad, int batch, int block)
        => Check<float>(new ConvGeometry(cin, size, size, cout, k, stride, pad), batch, block);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_ChannelBlocks_Double_BitIdenticalToScalarBlockOrder(int cin, int size, int cout, int k, int stride, int pad, int batch, int block)
        => Check<double>(new ConvGeometry(cin, size, size, cout, k, stride, pad), batch, block);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_ChannelBlocks_AnyThreadCount_BitIdentical(int cin, int size, int cout, int k, int stride, int pad, int batch, int block)
    {
        var g = new ConvGeometry(cin, size, size, cout, k, stride, pad);
        var x = Random<float>(batch * g.InputSize, 41);
        var wt = Random<float>(g.WeightSize, 42);
        var bias = Random<float>(cout, 43);
        float[] one = new float[batch * g.OutputSize], many = new float[one.Length];
        Conv2dForward.Run<float>(g, batch, x, wt, bias, one, maxDegreeOfParallelism: 1, summation: new ConvSummation(block));
        Conv2dForward.Run<float>(g, batch, x, wt, bias, many, summation: new ConvSummation(block));
        Assert.Equal(one, many);
    }

    /// <summary>Output rows of whole registers (8 floats, 4 doubles), where the padded and phased layouts write the output
    /// in place; with accumulation where no bias or second block would reorder the sum (odd cout: bias).</summary>
    public static TheoryData<int, int, int, int, int, int, int, int, bool> WholeRegisterRowCases() => new()
    {
        // cin, size, cout, k, stride, pad, batch, channel block, accumulate
        { 16, 8, 17, 3, 1, 1, 2, 16, false },  // NAS-Bench-201 stage 3 size, one block, bias
        { 16, 8, 16, 3, 1, 1, 3, 16, true },   // … accumulated
        { 40, 16, 8, 3, 1, 1, 1, 16, false },  // three blocks, one sample: columns split across threads
        { 40, 16, 8, 3, 1, 1, 2, 16, true },   // three blocks, accumulated: written back from the padded temp
        { 24, 16, 9, 3, 2, 1, 2, 16, false },  // stride 2 (phased layout), two blocks, bias
        { 3, 32, 16, 3, 1, 1, 1, 16, true },   // the stem, one sample, accumulated
        { 16, 24, 16, 3, 1, 1, 3, 16, false }, // rows of three registers
        { 12, 16, 7, 5, 1, 2, 2, 8, false },   // 5×5, blocks of 8, bias
    };

    [Theory]
    [MemberData(nameof(WholeRegisterRowCases))]
    public void Forward_WholeRegisterRows_BitIdenticalToScalarBlockOrder(int cin, int size, int cout, int k, int stride, int pad, int batch, int block, bool accumulate)
    {
        var g = new ConvGeometry(cin, size, size, cout, k, stride, pad);
        Check<float>(g, batch, block, accumulate);
        Check<double>(g, batch, block, accumulate);
    }

    [Fact]
    public void Forward_ChannelBlocks_DiffersFromSequentialOrder()
    {
        // The test above could pass with the order ignored if the two orders agreed on these inputs; they must not.
        var g = new ConvGeometry(43, 11, 11, 13, 3, 1, 1);
        var x = Random<float>(2 * g.InputSize, 1);
        var wt = Random<float>(g.WeightSize, 2);
        float[] sequential = new float[2 * g.OutputSize], blocked = new float[sequential.Length];
        Conv2dForward.Run<float>(g, 2, x, wt, default, sequential);
        Conv2dForward.Run<float>(g, 2, x, wt, default, blocked, summation: new ConvSummation(16));
        Assert.True(sequential.Zip(blocked).Count(p => p.First != p.Second) > sequential.Length / 4);
    }

    [Theory]
    [InlineData(3, 3, 16, null)]
    [InlineData(16, 3, 16, null)]
    [InlineData(21, 3, 16, new[] { 144, 189 })]
    [InlineData(48, 1, 16, new[] { 16, 32, 48 })]
    [InlineData(5, 3, 0, null)]
    public void BlockEnds_ChannelBlocks_EndAtEachBlockOfTaps(int cin, int k, int block, int[]? expected)
        => Assert.Equal(expected, new ConvSummation(block).BlockEnds(cin, k));

    [Theory]
    [InlineData(8, false, 16, 32, 3, 16)]  // a float32 batch: oneDNN
    [InlineData(1, false, 16, 32, 3, 0)]   // one sample of 16384 elements: im2col + BLAS
    [InlineData(1, false, 21, 32, 3, 16)]  // one sample of 21504 (> 20480) elements: oneDNN
    [InlineData(8, false, 16, 32, 1, 0)]   // 1x1 in oneDNN: one chain
    [InlineData(8, true, 16, 32, 3, 0)]    // float64: im2col + BLAS
    public void ReferenceRounding_Convolution_FollowsPyTorchDispatch(int samples, bool float64, int channels, int size, int k, int expectedBlock)
    {
        var g = new ConvGeometry(channels, size, size, channels, k, 1, k / 2);
        var summation = float64 ? ReferenceRounding.Convolution<double>(g, samples) : ReferenceRounding.Convolution<float>(g, samples);
        Assert.Equal(expectedBlock, summation.ChannelBlock);
    }

    private static void Check<T>(ConvGeometry g, int batch, int block, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Random<T>(batch * g.InputSize, 51);
        var wt = Random<T>(g.WeightSize, 52);
        var bias = g.OutChannels % 2 == 1 ? Random<T>(g.OutChannels, 53) : [];
        var initial = accumulate ? Random<T>(batch * g.OutputSize, 54) : new T[batch * g.OutputSize];
        var expected = new T[initial.Length];
        var actual = (T[])initial.Clone();
        BlockOrderReference(g, batch, x, wt, bias, block, expected);
        if (accumulate)
        {
            for (var i = 0; i < expected.Length; i++)
            {
                expected[i] = initial[i] + expected[i];
            }
        }

        Conv2dForward.Run<T>(g, batch, x, wt, bias, actual, accumulate, summation: new ConvSummation(block));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i] == actual[i], $"{g} batch {batch} block {block} accumulate {accumulate}, output {i}: {actual[i]} vs scalar block order {expected[i]}");
        }
    }

    /// <summary>oneDNN's order, one output element at a time; taps in the padding contribute fma(w, 0, s) = s.</summary>
    private static void BlockOrderReference<T>(ConvGeometry g, int batch, T[] input, T[] weight, T[] bias, int block, T[] output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OutHeight, ow = g.OutWidth, k = g.Kernel;
        for (var n = 0; n < batch; n++)
        {
            for (var o = 0; o < g.OutChannels; o++)
            {
                for (var y = 0; y < oh; y++)
                {
                    for (var xo = 0; xo < ow; xo++)
                    {
                        var total = bias.Length == 0 ? T.Zero : bias[o];
                        for (var c0 = 0; c0 < g.InChannels; c0 += block)
                        {
                            var partial = T.Zero;
                            for (var i = 0; i < k; i++)
                            {
                                for (var j = 0; j < k; j++)
                                {
                                    for (var c = c0; c < Math.Min(g.InChannels, c0 + block); c++)
                                    {
                                        int iy = (y * g.Stride) + i - g.Padding, ix = (xo * g.Stride) + j - g.Padding;
                                        if ((uint)iy < (uint)g.Height && (uint)ix < (uint)g.Width)
                                        {
                                            var w = weight[(((o * g.InChannels) + c) * k * k) + (i * k) + j];
                                            partial = T.FusedMultiplyAdd(w, input[(n * g.InputSize) + (((c * g.Height) + iy) * g.Width) + ix], partial);
                                        }
                                    }
                                }
                            }

                            total = c0 == 0 && bias.Length == 0 ? partial : total + partial;
                        }

                        output[(n * g.OutputSize) + (((o * oh) + y) * ow) + xo] = total;
                    }
                }
            }
        }
    }
}
