using GradSign.Backends.Managed.Kernels;
using static GradSign.Tests.Backends.Managed.Kernels.KernelTestData;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>
/// <see cref="RunSums"/> (four runs summed side by side) against summing the single-run kernels' results in run order:
/// bit-identical on odd lengths (vector body and scalar tail) and run counts (groups of four and the remainder).
/// </summary>
[Trait("Category", "Kernels")]
public class RunSumsKernelTests
{
    public static TheoryData<int, int, int> Cases() => new()
    {
        // runs, length, gap between runs
        { 1, 1, 0 },
        { 3, 7, 5 },
        { 4, 8, 0 },
        { 5, 17, 3 },
        { 9, 64, 64 },
        { 64, 256, 256 },
        { 13, 1031, 9 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SumAndSquares_Float_BitIdenticalToSingleRunKernels(int runs, int length, int gap)
    {
        var stride = length + gap;
        var first = 2;
        var x = Data(first + (runs * stride), 71);
        var m = x.Average();
        double sum = 0, squares = 0;
        for (var k = 0; k < runs; k++)
        {
            var run = x.AsSpan(first + (k * stride), length);
            sum += PackedSum.Sum<float>(run);
            squares += SumOfRoundedSquares.Run<float>(run, m);
        }

        Assert.Equal(BitConverter.DoubleToInt64Bits(sum), BitConverter.DoubleToInt64Bits(RunSums.Sum<float>(x, first, stride, length, runs)));
        Assert.Equal(BitConverter.DoubleToInt64Bits(squares), BitConverter.DoubleToInt64Bits(RunSums.SumOfRoundedSquares<float>(x, first, stride, length, runs, m)));
    }

    [Fact]
    public void SumAndSquares_Double_EqualSingleRunKernels()
    {
        var x = Data(5 * 40, 72).Select(v => (double)v).ToArray();
        double sum = 0, squares = 0;
        for (var k = 0; k < 5; k++)
        {
            sum += PackedSum.Sum<double>(x.AsSpan(k * 40, 33));
            squares += SumOfRoundedSquares.Run<double>(x.AsSpan(k * 40, 33), 0.25);
        }

        Assert.Equal(sum, RunSums.Sum<double>(x, 0, 40, 33, 5));
        Assert.Equal(squares, RunSums.SumOfRoundedSquares<double>(x, 0, 40, 33, 5, 0.25));
    }

    // Values around 3 (a mean far from 0, as after a convolution with bias), so the sums carry many rounded bits.
    private static float[] Data(int n, ulong seed) => [.. Random<float>(n, seed).Select(v => 3 + v)];
}
