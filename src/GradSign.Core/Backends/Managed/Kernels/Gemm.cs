using System.Numerics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>General matrix multiply on row-major spans.</summary>
/// <remarks>
/// op(A) is packed into 8-row panels; op(B) is read in place (or transposed once into a pooled buffer when
/// <c>transB</c>), and <see cref="PanelKernel"/> computes 8×48-float (AVX-512) register tiles with the k sum in order
/// 0..k−1 for every element. Large products split columns (or row panels when C is narrow) across threads; the split
/// does not change any element's arithmetic. Scalar equivalent: the reference triple loop in the test project (GemmReference).
/// </remarks>
internal static class Gemm
{
    /// <summary>
    /// C[m×n] = (accumulate ? C : 0) + op(A)·op(B), where op(A) is m×k (A is k×m, leading dimension lda, when
    /// <paramref name="transA"/>) and op(B) is k×n (B is n×k when <paramref name="transB"/>). Row-major; ld = row stride.
    /// <c>maxDegreeOfParallelism</c> caps the threads (−1: all cores); results do not depend on it.
    /// </summary>
    public static unsafe void Multiply<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate, int maxDegreeOfParallelism = -1, KernelScratch? scratch = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (m == 0 || n == 0)
        {
            return;
        }

        CheckMatrix(a.Length, transA ? k : m, transA ? m : k, lda, nameof(a));
        CheckMatrix(b.Length, transB ? n : k, transB ? k : n, ldb, nameof(b));
        CheckMatrix(c.Length, m, n, ldc, nameof(c));
        if (k == 0)
        {
            if (!accumulate)
            {
                for (var i = 0; i < m; i++)
                {
                    c.Slice(i * ldc, n).Clear();
                }
            }

            return;
        }

        var threads = KernelParallel.Threads(maxDegreeOfParallelism, (long)m * n * k);
        var packedA = KernelScratch.Rent<T>(scratch, ConvPacking.PanelSize(m, k));
        var packedB = transB ? KernelScratch.Rent<T>(scratch, checked(k * n)) : null;
        var offsets = KernelScratch.Rent<int>(scratch, k);
        try
        {
            fixed (T* aPtr = a)
            fixed (T* bPtr = b)
            fixed (T* cPtr = c)
            fixed (T* packedAPtr = packedA)
            fixed (T* packedBPtr = packedB)
            fixed (int* offsetsPtr = offsets)
            {
                ConvPacking.PackRowPanels(aPtr, m, k, transA ? 1 : lda, transA ? lda : 1, packedAPtr);
                var bBase = bPtr;
                var rowStride = ldb;
                if (transB)
                {
                    // op(B)[p, j] = B[j, p]: one transposing copy so the kernel reads contiguous columns.
                    for (var p = 0; p < k; p++)
                    {
                        for (var j = 0; j < n; j++)
                        {
                            packedBPtr[((long)p * n) + j] = bPtr[((long)j * ldb) + p];
                        }
                    }

                    bBase = packedBPtr;
                    rowStride = n;
                }

                for (var p = 0; p < k; p++)
                {
                    offsets[p] = p * rowStride;
                }

                SimdDispatch<T>.Run(new Panels<T>((nint)packedAPtr, (nint)bBase, (nint)offsetsPtr, (nint)cPtr, m, n, k, ldc, accumulate, threads));
            }
        }
        finally
        {
            KernelScratch.Return(scratch, packedA);
            if (packedB is not null)
            {
                KernelScratch.Return(scratch, packedB);
            }

            KernelScratch.Return(scratch, offsets);
        }
    }

    private static void CheckMatrix(int length, int rows, int cols, int ld, string name)
    {
        if (ld < cols)
        {
            throw new ArgumentOutOfRangeException(name, $"Leading dimension {ld} of {name} is smaller than its {cols} columns.");
        }

        if (rows > 0 && cols > 0)
        {
            ConvGeometry.RequireLength(length, ((long)(rows - 1) * ld) + cols, name);
        }
    }

    /// <summary>The product on one register width: row panels × column ranges, split over <paramref name="threads"/>.</summary>
    private readonly unsafe struct Panels<T>(nint packedA, nint b, nint offsets, nint c, int m, int n, int k, int ldc, bool accumulate, int threads) : ISimdJob<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run<TVec, TOps>()
            where TVec : unmanaged
            where TOps : ISimdOps<T, TVec>
        {
            var self = this;
            var columns = n;
            var workers = threads; // lambdas in a struct cannot read its primary-constructor parameters
            var granule = 3 * TOps.Count;
            var panels = (m + PanelKernel.Rows - 1) / PanelKernel.Rows;
            if (n >= threads * granule || panels < threads)
            {
                var parts = Math.Max(1, Math.Min(threads, n / granule));
                KernelParallel.For(parts, part =>
                {
                    var (start, end) = KernelParallel.Range(columns, parts, part, granule);
                    self.Block<TVec, TOps>(0, panels, start, end);
                });
            }
            else
            {
                KernelParallel.For(workers, part =>
                {
                    var (start, end) = KernelParallel.Range(panels, workers, part);
                    self.Block<TVec, TOps>(start, end, 0, columns);
                });
            }
        }

        private void Block<TVec, TOps>(int firstPanel, int endPanel, int start, int end)
            where TVec : unmanaged
            where TOps : ISimdOps<T, TVec>
        {
            for (var p = firstPanel; p < endPanel; p++)
            {
                var row = p * PanelKernel.Rows;
                PanelKernel.RowPanel<T, TVec, TOps>((T*)packedA + ((long)row * k), (T*)b + start, (int*)offsets, k,
                    (T*)c + ((long)row * ldc) + start, ldc, Math.Min(PanelKernel.Rows, m - row), end - start, accumulate);
            }
        }
    }
}
