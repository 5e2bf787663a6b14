using System.Numerics;
using GradSign.Backends.Managed.Kernels;
using static GradSign.Tests.Backends.Managed.Kernels.KernelTestData;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>
/// The strided row kernels against their scalar loops, bit for bit, at stride 2 (the vector path) on counts around whole
/// blocks (8 floats, 4 doubles) and at strides 1 and 3 (the scalar loop): every element they must not change (odd destination elements, −0 among them, and the elements around
/// the range) keeps its bits.
/// </summary>
[Trait("Category", "Kernels")]
public unsafe class StridedKernelTests
{
    public static TheoryData<int> Counts() => [0, 1, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 23, 31, 33];

    [Theory]
    [MemberData(nameof(Counts))]
    public void Gather_MatchesScalarLoopBitForBit(int count)
    {
        foreach (var stride in new[] { 1, 2, 3 })
        {
            CheckGather<float>(count, stride);
            CheckGather<double>(count, stride);
        }
    }

    [Theory]
    [MemberData(nameof(Counts))]
    public void ScatterAdd_MatchesScalarLoopBitForBit(int count)
    {
        foreach (var stride in new[] { 1, 2, 3 })
        {
            CheckScatterAdd<float>(count, stride);
            CheckScatterAdd<double>(count, stride);
        }
    }

    private static void CheckGather<T>(int count, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Source from element 1, one element beyond its last read; destination from element 1 with guard elements.
        var src = Random<T>((stride * count) + 1, 61);
        var expected = Random<T>(count + 3, 62);
        var actual = (T[])expected.Clone();
        for (var v = 0; v < count; v++)
        {
            expected[v + 1] = src[1 + (stride * v)];
        }

        fixed (T* s = src, d = actual)
        {
            StridedGather.Run(s + 1, stride, d + 1, count);
        }

        Assert.Equal(Bits(expected), Bits(actual));
    }

    private static void CheckScatterAdd<T>(int count, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Destination with a guard element on each side and −0 in some odd elements.
        var src = Random<T>(count, 63);
        var expected = Random<T>((stride * count) + 3, 64);
        for (var i = 2; i < expected.Length; i += 6)
        {
            expected[i] = T.NegativeZero;
        }

        var actual = (T[])expected.Clone();
        for (var x = 0; x < count; x++)
        {
            expected[1 + (stride * x)] += src[x];
        }

        fixed (T* s = src, d = actual)
        {
            StridedScatterAdd.Run(s, stride, d + 1, count);
        }

        Assert.Equal(Bits(expected), Bits(actual));
    }
}
