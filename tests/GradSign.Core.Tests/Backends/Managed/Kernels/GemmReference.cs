using System.Numerics;
using GradSign.Backends.Managed.Kernels;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>General matrix multiply on row-major spans.</summary>
/// <remarks>The original naive scalar loop, kept as the test oracle for <see cref="Gemm"/>.</remarks>
internal static class GemmReference
{
    /// <summary>
    /// C[m×n] = (accumulate ? C : 0) + op(A)·op(B), where op(A) is m×k (A is k×m, leading dimension lda, when
    /// <paramref name="transA"/>) and op(B) is k×n (B is n×k when <paramref name="transB"/>). Row-major; ld = row stride.
    /// </summary>
    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = T.Zero;
                for (var p = 0; p < k; p++)
                {
                    var av = transA ? a[(p * lda) + i] : a[(i * lda) + p];
                    var bv = transB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum += av * bv;
                }

                c[(i * ldc) + j] = accumulate ? c[(i * ldc) + j] + sum : sum;
            }
        }
    }
}
