using System.Numerics;
using GradSign.Backends.Managed.Kernels;
using static GradSign.Tests.Backends.Managed.Kernels.KernelTestData;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>The fast convolution kernels against the naive scalar references, on odd sizes, in float and double.</summary>
[Trait("Category", "Kernels")]
public class Conv2dKernelTests
{
    public static TheoryData<int, int, int, int, int, int, int, int, bool> Cases => Geometries();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_Float_MatchesScalarReference(int cin, int h, int w, int cout, int k, int stride, int pad, int batch, bool accumulate)
        => CheckForward<float>(Geometry(cin, h, w, cout, k, stride, pad), batch, accumulate);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_Double_MatchesScalarReference(int cin, int h, int w, int cout, int k, int stride, int pad, int batch, bool accumulate)
        => CheckForward<double>(Geometry(cin, h, w, cout, k, stride, pad), batch, accumulate);

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardWinograd_Float_MatchesScalarReference(int cin, int h, int w, int cout, int k, int stride, int pad, int batch, bool accumulate)
        => CheckForward<float>(Geometry(cin, h, w, cout, k, stride, pad), batch, accumulate, ConvAlgorithm.Winograd);

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardDataDirect_Float_MatchesScalarReference(int cin, int h, int w, int cout, int k, int stride, int pad, int batch, bool accumulate)
        => CheckBackwardData<float>(Geometry(cin, h, w, cout, k, stride, pad), batch, accumulate, ConvAlgorithm.Direct);

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardWeightDirect_Float_MatchesScalarReference(int cin, int h, int w, int cout, int k, int stride, int pad, int batch, bool accumulate)
        => CheckBackwardWeight<float>(Geometry(cin, h, w, cout, k, stride, pad), batch, accumulate, ConvAlgorithm.Direct);

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardData_Float_MatchesScalarReference(int cin, int h, int w, int cout, int k, int stride, int pad, int batch, bool accumulate)
        => CheckBackwardData<float>(Geometry(cin, h, w, cout, k, stride, pad), batch, accumulate);

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardData_Double_MatchesScalarReference(int cin, int h, int w, int cout, int k, int stride, int pad, int batch, bool accumulate)
        => CheckBackwardData<double>(Geometry(cin, h, w, cout, k, stride, pad), batch, accumulate);

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardWeight_Float_MatchesScalarReference(int cin, int h, int w, int cout, int k, int stride, int pad, int batch, bool accumulate)
        => CheckBackwardWeight<float>(Geometry(cin, h, w, cout, k, stride, pad), batch, accumulate);

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardWeight_Double_MatchesScalarReference(int cin, int h, int w, int cout, int k, int stride, int pad, int batch, bool accumulate)
        => CheckBackwardWeight<double>(Geometry(cin, h, w, cout, k, stride, pad), batch, accumulate);

    [Theory]
    [InlineData(16, 16, 3, 1, 1, 4)]
    [InlineData(16, 32, 3, 1, 1, 1)]
    [InlineData(16, 16, 3, 2, 1, 8)]
    [InlineData(16, 16, 1, 1, 0, 16)]
    [InlineData(3, 32, 3, 1, 1, 20)]
    [InlineData(32, 8, 3, 1, 1, 3)]  // tap-GEMM weight gradient: chunks
    [InlineData(64, 8, 3, 1, 1, 1)]  // … and taps split across threads
    [InlineData(64, 16, 3, 2, 1, 1)] // … strided
    public void AllKernels_AnyThreadCount_GiveBitIdenticalResults(int channels, int size, int k, int stride, int pad, int batch)
    {
        var g = new ConvGeometry(channels, size, size, channels, k, stride, pad);

        // Every case must be large enough for the kernels to split it, or the comparison below proves nothing.
        var multiplyAdds = (long)batch * g.WeightSize * g.OutHeight * g.OutWidth;
        Assert.True(Environment.ProcessorCount == 1 || KernelParallel.Threads(-1, multiplyAdds) > 1, $"{multiplyAdds} multiply-adds run serially");
        var x = Random<float>(batch * g.InputSize, 1);
        var wt = Random<float>(g.WeightSize, 2);
        var bias = Random<float>(channels, 3);
        var dy = Random<float>(batch * g.OutputSize, 4);
        float[] y1 = new float[batch * g.OutputSize], yN = new float[y1.Length];
        float[] dx1 = new float[x.Length], dxN = new float[x.Length];
        float[] dw1 = new float[wt.Length], dwN = new float[wt.Length];

        Conv2dForward.Run<float>(g, batch, x, wt, bias, y1, maxDegreeOfParallelism: 1);
        Conv2dForward.Run<float>(g, batch, x, wt, bias, yN);
        Conv2dBackwardData.Run<float>(g, batch, dy, wt, dx1, maxDegreeOfParallelism: 1);
        Conv2dBackwardData.Run<float>(g, batch, dy, wt, dxN);
        Conv2dBackwardWeight.Run<float>(g, batch, x, dy, dw1, maxDegreeOfParallelism: 1);
        Conv2dBackwardWeight.Run<float>(g, batch, x, dy, dwN);

        Assert.Equal(y1, yN);
        Assert.Equal(dx1, dxN);
        Assert.Equal(dw1, dwN);
    }

    [Fact]
    public void Forward_ShortOutput_ThrowsNamingTheSpan()
    {
        var g = new ConvGeometry(2, 4, 4, 3, 3, 1, 1);
        var ex = Assert.Throws<ArgumentException>(() => Conv2dForward.Run<float>(g, 2, new float[2 * g.InputSize], new float[g.WeightSize], default, new float[g.OutputSize]));
        Assert.Equal("output", ex.ParamName);
    }

    [Fact]
    public void BackwardWeight_KernelLargerThanPaddedInput_Throws()
    {
        var g = new ConvGeometry(1, 2, 2, 1, 5, 1, 1);
        Assert.Throws<ArgumentException>(() => Conv2dBackwardWeight.Run<float>(g, 1, new float[4], new float[4], new float[25]));
    }

    private static void CheckForward<T>(ConvGeometry g, int batch, bool accumulate, ConvAlgorithm algorithm = ConvAlgorithm.Auto)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Random<T>(batch * g.InputSize, 11);
        var wt = Random<T>(g.WeightSize, 12);
        var bias = (g.OutChannels + g.Height) % 2 == 1 ? Random<T>(g.OutChannels, 13) : [];
        var initial = accumulate ? Random<T>(batch * g.OutputSize, 14) : new T[batch * g.OutputSize];
        var expected = (T[])initial.Clone();
        var actual = (T[])initial.Clone();
        var scale = Abs(initial);

        Conv2dForwardReference.Run<T>(g, batch, x, wt, bias, expected, accumulate);
        Conv2dForwardReference.Run<T>(g, batch, Abs(x), Abs(wt), Abs(bias), scale, accumulate);
        Conv2dForward.Run<T>(g, batch, x, wt, bias, actual, accumulate, algorithm: algorithm);

        AssertClose<T>(expected, actual, scale, (g.InChannels * g.Kernel * g.Kernel) + 2, $"forward {g} batch {batch}");
    }

    private static void CheckBackwardData<T>(ConvGeometry g, int batch, bool accumulate, ConvAlgorithm algorithm = ConvAlgorithm.Auto)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dy = Random<T>(batch * g.OutputSize, 21);
        var wt = Random<T>(g.WeightSize, 22);
        var initial = accumulate ? Random<T>(batch * g.InputSize, 23) : Random<T>(batch * g.InputSize, 24); // garbage must be overwritten
        var expected = (T[])initial.Clone();
        var actual = (T[])initial.Clone();
        var scale = Abs(initial);

        Conv2dBackwardDataReference.Run<T>(g, batch, dy, wt, expected, accumulate);
        Conv2dBackwardDataReference.Run<T>(g, batch, Abs(dy), Abs(wt), scale, accumulate);
        Conv2dBackwardData.Run<T>(g, batch, dy, wt, actual, accumulate, algorithm: algorithm);

        AssertClose<T>(expected, actual, scale, (g.OutChannels * g.Kernel * g.Kernel) + 2, $"backward-data {g} batch {batch}");
    }

    private static void CheckBackwardWeight<T>(ConvGeometry g, int batch, bool accumulate, ConvAlgorithm algorithm = ConvAlgorithm.Auto)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Random<T>(batch * g.InputSize, 31);
        var dy = Random<T>(batch * g.OutputSize, 32);
        var initial = accumulate ? Random<T>(g.WeightSize, 33) : Random<T>(g.WeightSize, 34);
        var expected = (T[])initial.Clone();
        var actual = (T[])initial.Clone();
        var scale = Abs(initial);

        Conv2dBackwardWeightReference.Run<T>(g, batch, x, dy, expected, accumulate);
        Conv2dBackwardWeightReference.Run<T>(g, batch, Abs(x), Abs(dy), scale, accumulate);
        Conv2dBackwardWeight.Run<T>(g, batch, x, dy, actual, accumulate, algorithm: algorithm);

        AssertClose<T>(expected, actual, scale, (batch * g.OutHeight * g.OutWidth) + 2, $"backward-weight {g} batch {batch}");
    }
}
