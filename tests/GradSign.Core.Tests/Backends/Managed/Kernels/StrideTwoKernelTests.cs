using System.Numerics;
using GradSign.Backends.Managed.Kernels;
using static GradSign.Tests.Backends.Managed.Kernels.KernelTestData;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>
/// The stride-2 row kernels against their scalar loops, bit for bit, on counts around whole blocks (8 floats, 4
/// doubles): every element they must not change (odd destination elements, −0 among them, and the elements around
/// the range) keeps its bits.
/// </summary>
[Trait("Category", "Kernels")]
public unsafe class StrideTwoKernelTests
{
    public static TheoryData<int> Counts() => [0, 1, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 23, 31, 33];

    [Theory]
    [MemberData(nameof(Counts))]
    public void Gather_MatchesScalarLoopBitForBit(int count)
    {
        CheckGather<float>(count);
        CheckGather<double>(count);
    }

    [Theory]
    [MemberData(nameof(Counts))]
    public void ScatterAdd_MatchesScalarLoopBitForBit(int count)
    {
        CheckScatterAdd<float>(count);
        CheckScatterAdd<double>(count);
    }

    private static void CheckGather<T>(int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Source from element 1, one element beyond its last read; destination from element 1 with guard elements.
        var src = Random<T>((2 * count) + 1, 61);
        var expected = Random<T>(count + 3, 62);
        var actual = (T[])expected.Clone();
        for (var v = 0; v < count; v++)
        {
            expected[v + 1] = src[1 + (2 * v)];
        }

        fixed (T* s = src, d = actual)
        {
            StrideTwoGather.Run(s + 1, d + 1, count);
        }

        Assert.Equal(Bits(expected), Bits(actual));
    }

    private static void CheckScatterAdd<T>(int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Destination with a guard element on each side and −0 in some odd elements.
        var src = Random<T>(count, 63);
        var expected = Random<T>((2 * count) + 3, 64);
        for (var i = 2; i < expected.Length; i += 6)
        {
            expected[i] = T.NegativeZero;
        }

        var actual = (T[])expected.Clone();
        for (var x = 0; x < count; x++)
        {
            expected[1 + (2 * x)] += src[x];
        }

        fixed (T* s = src, d = actual)
        {
            StrideTwoScatterAdd.Run(s, d + 1, count);
        }

        Assert.Equal(Bits(expected), Bits(actual));
    }
}
