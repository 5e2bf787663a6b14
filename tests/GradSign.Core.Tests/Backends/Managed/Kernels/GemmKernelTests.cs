using System.Numerics;
using GradSign.Backends.Managed.Kernels;
using GradSign.Internal;
using static GradSign.Tests.Backends.Managed.Kernels.KernelTestData;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary><see cref="Gemm"/> against the scalar triple loop for every transposition, odd sizes and padded leading dimensions.</summary>
[Trait("Category", "Kernels")]
public class GemmKernelTests
{
    /// <summary>Sizes around the register widths (8/16 lanes, 48-column tiles, 8-row panels) and 0.</summary>
    private static readonly int[] Sizes = [0, 1, 2, 5, 7, 8, 9, 15, 16, 17, 23, 31, 33, 47, 48, 49, 63, 64, 65, 70];

    public static TheoryData<bool, bool, int, int, int, bool> Cases()
    {
        var data = new TheoryData<bool, bool, int, int, int, bool>();
        var rng = new SplitMix64(7);
        foreach (var transA in new[] { false, true })
        {
            foreach (var transB in new[] { false, true })
            {
                data.Add(transA, transB, 0, 5, 3, false);
                data.Add(transA, transB, 4, 3, 0, false);
                data.Add(transA, transB, 70, 70, 70, true);
                data.Add(transA, transB, 200, 130, 90, false); // large enough for threads
                for (var i = 0; i < 24; i++)
                {
                    data.Add(transA, transB, Sizes[rng.NextInt(Sizes.Length)], Sizes[rng.NextInt(Sizes.Length)], Sizes[rng.NextInt(Sizes.Length)], rng.NextInt(2) == 1);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Multiply_Float_MatchesScalarReference(bool transA, bool transB, int m, int n, int k, bool accumulate)
        => Check<float>(transA, transB, m, n, k, accumulate);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Multiply_Double_MatchesScalarReference(bool transA, bool transB, int m, int n, int k, bool accumulate)
        => Check<double>(transA, transB, m, n, k, accumulate);

    [Fact]
    public void Multiply_LeadingDimensionBelowWidth_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply<float>(false, false, 2, 2, 3, new float[6], 2, new float[6], 2, new float[4], 2, false));

    private static void Check<T>(bool transA, bool transB, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Leading dimensions exceed the row width (by 3, 5, 2) so stride handling is exercised.
        int aRows = transA ? k : m, aCols = transA ? m : k, lda = aCols + 3;
        int bRows = transB ? n : k, bCols = transB ? k : n, ldb = bCols + 5;
        var ldc = n + 2;
        var a = Random<T>(Math.Max(0, aRows * lda), 41);
        var b = Random<T>(Math.Max(0, bRows * ldb), 42);
        var initial = Random<T>(Math.Max(0, m * ldc), 43);
        var expected = (T[])initial.Clone();
        var actual = (T[])initial.Clone();
        var scale = Abs(initial);

        GemmReference.Multiply<T>(transA, transB, m, n, k, a, lda, b, ldb, expected, ldc, accumulate);
        GemmReference.Multiply<T>(transA, transB, m, n, k, Abs(a), lda, Abs(b), ldb, scale, ldc, accumulate);
        Gemm.Multiply<T>(transA, transB, m, n, k, a, lda, b, ldb, actual, ldc, accumulate);

        // Padding columns of C (j ≥ n) must be untouched: the reference leaves them, so they compare exactly.
        AssertClose<T>(expected, actual, scale, k + 1, $"gemm transA={transA} transB={transB} {m}×{n}×{k}");
    }
}
