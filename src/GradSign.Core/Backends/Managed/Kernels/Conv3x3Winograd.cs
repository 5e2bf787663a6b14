using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// 3×3 stride-1 pad-1 convolution by Winograd's minimal filtering F(2×2, 3×3) (Lavin &amp; Gray, 2016): each 2×2 output
/// tile costs 16 multiply-adds per (input, output) channel pair instead of 36, the rest being additions in the input
/// and output transforms. Used for the forward pass and, with the flipped transposed weight, the backward-data pass.
/// </summary>
/// <remarks>
/// <para>Per output channel k, input channel c and tile t (output rows 2ty..2ty+1, columns 2tx..2tx+1; d = the 4×4
/// zero-padded input patch at rows 2ty..2ty+3, columns 2tx..2tx+3 of the padded image): with
/// Bᵀ = [[1,0,−1,0],[0,1,1,0],[0,−1,1,0],[0,1,0,−1]], G = [[1,0,0],[½,½,½],[½,−½,½],[0,0,1]], Aᵀ = [[1,1,1,0],[0,1,−1,−1]],
/// <c>U = G·w·Gᵀ</c>, <c>V = Bᵀ·d·B</c>, <c>M[ξ] = Σ_c U[ξ]·V[ξ]</c> (ξ = the 16 positions) and <c>Y = Aᵀ·M·A</c>.</para>
/// <para>Lane layout: 16 channels per block, one AVX-512 register or two AVX2 registers (the transforms and the
/// GEMMs' order of terms do not depend on the width, so both give the same bits). A sample is transposed once into channel blocks
/// (<c>[c/16][row][column][c mod 16]</c>, zero border), the transforms then work on whole registers of channels, V is
/// written in the same blocks (<c>[ξ][c/16][t][16]</c>) and the 16 products <c>M[ξ] = V[ξ]·U[ξ]</c> are GEMMs of
/// tiles × input channels by input channels × output channels (<see cref="BlockedRowKernel"/>, no padding waste). Output
/// tiles go to a pixel-major buffer that is transposed back to channel planes (bias and accumulation there).</para>
/// <para>Numerics: float32 with fixed-order sums, so results do not depend on the thread count; they differ from the
/// direct convolution by rounding only (the transforms add a few ulps; the kernel tests bound the error by the direct
/// sum's worst case).</para>
/// <para>Scalar equivalent: the direct convolution, <c>y[k,y,x] = Σ_c Σ_ij w[k,c,i,j]·x[c,y+i−1,x+j−1]</c>.</para>
/// </remarks>
internal static unsafe class Conv3x3Winograd
{
    private const int L = WinogradTiles.L;

    /// <summary>Whether <paramref name="g"/> runs here: float32 on AVX-512 or AVX2 with FMA, 3×3, stride 1, padding 1,
    /// channel counts that are multiples of 16.</summary>
    public static bool Applies<T>(in ConvGeometry g)
        where T : unmanaged
        => typeof(T) == typeof(float) && (Vector512.IsHardwareAccelerated || (Vector256.IsHardwareAccelerated && Fma.IsSupported))
        && g.Kernel == 3 && g.Stride == 1 && g.Padding == 1 && g.InChannels % L == 0 && g.OutChannels % L == 0;

    /// <summary>
    /// Runs the convolution for <paramref name="batch"/> samples. The weight is <c>[Cout][Cin][3][3]</c>, or, with
    /// <paramref name="flipTransposed"/>, the weight of the convolution this one is the transpose of
    /// (<c>[Cin][Cout][3][3]</c>, used flipped: <c>w'[k,c,i,j] = w[c,k,2−i,2−j]</c>).
    /// </summary>
    public static void Run(in ConvGeometry g, int batch, float* input, float* weight, bool flipTransposed, float* bias, float* output, bool accumulate, int threads, KernelScratch? scratch = null)
        => SimdDispatch<float>.Run(new Arguments(g, batch, input, weight, flipTransposed, bias, output, accumulate, threads, scratch));

    /// <summary><see cref="Run(in ConvGeometry, int, float*, float*, bool, float*, float*, bool, int, KernelScratch?)"/> on
    /// <typeparamref name="TVec"/> registers (tests run every width on any machine).</summary>
    internal static void Run<TVec, TOps>(in ConvGeometry g, int batch, float* input, float* weight, bool flipTransposed, float* bias, float* output, bool accumulate, int threads, KernelScratch? scratch = null)
        where TVec : unmanaged
        where TOps : ISimdOps<float, TVec>
    {
        int cin = g.InChannels, cout = g.OutChannels;
        var u = KernelScratch.Rent<float>(scratch, 16 * cin * cout);
        try
        {
            fixed (float* uPtr = u)
            {
                TransformWeights(weight, cin, cout, flipTransposed, uPtr);
                var plan = new Plan(g);
                var job = new Job<TVec, TOps>(g, plan, (nint)input, (nint)uPtr, (nint)bias, (nint)output, accumulate);
                if (batch >= threads)
                {
                    KernelParallel.ForRanges(batch, threads, (start, end) =>
                    {
                        var ws = KernelScratch.Rent<float>(scratch, plan.Workspace);
                        try
                        {
                            fixed (float* w = ws)
                            {
                                plan.ClearBorders(w);
                                for (var n = start; n < end; n++)
                                {
                                    job.Sample(n, w, 1);
                                }
                            }
                        }
                        finally
                        {
                            KernelScratch.Return(scratch, ws);
                        }
                    });
                    return;
                }

                var shared = KernelScratch.Rent<float>(scratch, plan.Workspace);
                try
                {
                    fixed (float* w = shared)
                    {
                        plan.ClearBorders(w);
                        for (var n = 0; n < batch; n++)
                        {
                            job.Sample(n, w, threads);
                        }
                    }
                }
                finally
                {
                    KernelScratch.Return(scratch, shared);
                }
            }
        }
        finally
        {
            KernelScratch.Return(scratch, u);
        }
    }

    /// <summary>The arguments of <see cref="Conv3x3Winograd.Run(in ConvGeometry, int, float*, float*, bool, float*, float*, bool, int, KernelScratch?)"/>,
    /// passed on to the register width <see cref="SimdDispatch{T}"/> picks (512 or 256 bits wherever <see cref="Applies{T}"/>).</summary>
    private readonly struct Arguments(ConvGeometry g, int batch, float* input, float* weight, bool flipTransposed, float* bias, float* output, bool accumulate, int threads, KernelScratch? scratch) : ISimdJob<float>
    {
        public void Run<TVec, TOps>()
            where TVec : unmanaged
            where TOps : ISimdOps<float, TVec>
            => Conv3x3Winograd.Run<TVec, TOps>(g, batch, input, weight, flipTransposed, bias, output, accumulate, threads, scratch);
    }

    /// <summary>U[ξ][c][k] = (G·w_kc·Gᵀ)[ξ], computed in float64 and rounded once.</summary>
    private static void TransformWeights(float* weight, int cin, int cout, bool flipTransposed, float* u)
    {
        var g = stackalloc double[9];
        var gw = stackalloc double[12];
        for (var k = 0; k < cout; k++)
        {
            for (var c = 0; c < cin; c++)
            {
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < 3; j++)
                    {
                        g[(i * 3) + j] = flipTransposed
                            ? weight[(((long)c * cout) + k) * 9 + ((2 - i) * 3) + (2 - j)]
                            : weight[(((long)k * cin) + c) * 9 + (i * 3) + j];
                    }
                }

                // G·w (4×3), rows of G: [1,0,0], [½,½,½], [½,−½,½], [0,0,1].
                for (var j = 0; j < 3; j++)
                {
                    double g0 = g[j], g1 = g[3 + j], g2 = g[6 + j];
                    gw[j] = g0;
                    gw[3 + j] = 0.5 * (g0 + g1 + g2);
                    gw[6 + j] = 0.5 * (g0 - g1 + g2);
                    gw[9 + j] = g2;
                }

                // (G·w)·Gᵀ (4×4).
                for (var r = 0; r < 4; r++)
                {
                    double h0 = gw[(r * 3) + 0], h1 = gw[(r * 3) + 1], h2 = gw[(r * 3) + 2];
                    var at = u + ((((long)(r * 4) * cin) + c) * cout) + k;
                    var xi = (long)cin * cout; // stride between ξ
                    at[0] = (float)h0;
                    at[xi] = (float)(0.5 * (h0 + h1 + h2));
                    at[2 * xi] = (float)(0.5 * (h0 - h1 + h2));
                    at[3 * xi] = (float)h2;
                }
            }
        }
    }

    /// <summary>Tile counts and the per-thread workspace layout: [blocked padded input | V | M | pixel-major output].</summary>
    private readonly struct Plan
    {
        public Plan(in ConvGeometry g)
        {
            TilesHigh = (g.OutHeight + 1) / 2;
            TilesWide = (g.OutWidth + 1) / 2;
            Tiles = TilesHigh * TilesWide;
            PaddedTiles = (Tiles + BlockedRowKernel.RowMultiple - 1) / BlockedRowKernel.RowMultiple * BlockedRowKernel.RowMultiple;
            PaddedHeight = (2 * TilesHigh) + 2;
            PaddedWidth = (2 * TilesWide) + 2;
            InBlocks = g.InChannels / L;
            InputSize = InBlocks * PaddedHeight * PaddedWidth * L;
            // ξ strides of V and M are kept off multiples of 4 KiB: the transforms touch all 16 ξ of one tile, which would
            // otherwise fall into one L1 set.
            PaddedTiles += (PaddedTiles * L * sizeof(float)) % 4096 == 0 ? BlockedRowKernel.RowMultiple : 0;
            VSize = 16 * InBlocks * PaddedTiles * L;
            MStride = (Tiles * g.OutChannels) + ((Tiles * g.OutChannels * sizeof(float)) % 4096 == 0 ? L : 0);
            MSize = 16 * MStride;
            Workspace = checked(InputSize + VSize + MSize + (g.OutHeight * g.OutWidth * g.OutChannels));
        }

        public int TilesHigh { get; }

        public int TilesWide { get; }

        public int Tiles { get; }

        public int PaddedTiles { get; }

        public int PaddedHeight { get; }

        public int PaddedWidth { get; }

        public int InBlocks { get; }

        public int InputSize { get; }

        public int VSize { get; }

        public int MSize { get; }

        /// <summary>Elements between the GEMM outputs of consecutive ξ.</summary>
        public int MStride { get; }

        public int Workspace { get; }

        /// <summary>Zeroes the blocked input (its border stays zero: samples only write the interior) and V's padding rows
        /// (rows Tiles to PaddedTiles of each of its 16·InBlocks blocks; the transforms write the others). Each work range
        /// clears its own workspace, so clearing the whole of V would repeat a copy's worth of stores per range.</summary>
        public void ClearBorders(float* ws)
        {
            new Span<float>(ws, InputSize).Clear();
            var padding = (PaddedTiles - Tiles) * L;
            for (var block = 0; block < 16 * InBlocks; block++)
            {
                new Span<float>(ws + InputSize + ((long)block * PaddedTiles * L) + ((long)Tiles * L), padding).Clear();
            }
        }
    }

    /// <summary>Per-call state shared read-only by the worker threads; pointers are pinned by the caller.</summary>
    private readonly struct Job<TVec, TOps>(ConvGeometry g, Plan plan, nint input, nint u, nint bias, nint output, bool accumulate)
        where TVec : unmanaged
        where TOps : ISimdOps<float, TVec>
    {
        /// <summary>One sample: blocked copy, input transform, 16 GEMMs (split over <paramref name="threads"/>), output transform, unpack.</summary>
        public void Sample(int n, float* ws, int threads)
        {
            var xb = ws;
            var v = xb + plan.InputSize;
            var m = v + plan.VSize;
            var yh = m + plan.MSize;
            int cin = g.InChannels, cout = g.OutChannels;
            WinogradTiles.Block((float*)input + ((long)n * g.InputSize), cin, g.Height, g.Width, xb, plan.PaddedHeight, plan.PaddedWidth, 1);
            WinogradTiles.TransformInput<TVec, TOps>(xb, plan.InBlocks, plan.PaddedHeight, plan.PaddedWidth, plan.TilesHigh, plan.TilesWide, v, (long)plan.PaddedTiles * L, (long)plan.InBlocks * plan.PaddedTiles * L);
            var vStride = (long)plan.InBlocks * plan.PaddedTiles * L;
            nint va = (nint)v, ma = (nint)m;
            var job = this;
            KernelParallel.For(Math.Min(threads, 16), part =>
            {
                var (start, end) = KernelParallel.Range(16, Math.Min(threads, 16), part);
                for (var xi = start; xi < end; xi++)
                {
                    BlockedRowKernel.Run<float, TVec, TOps>(
                        (float*)va + (xi * vStride), (long)job.Plan.PaddedTiles * L, job.Plan.InBlocks,
                        (float*)job.U + ((long)xi * cin * cout), cout, cout,
                        (float*)ma + ((long)xi * job.Plan.MStride), cout, job.Plan.Tiles);
                }
            });
            OutputTransform(m, yh, (float*)bias);
            Unpack(yh, (float*)output + ((long)n * g.OutputSize));
        }

        private Plan Plan => plan;

        private nint U => u;

        /// <summary>Output tiles Y = Aᵀ·M·A + bias into the pixel-major buffer yh[pixel][k] (pixels past the output skipped).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void OutputTransform(float* m, float* yh, float* biasPtr)
        {
            int cout = g.OutChannels, oh = g.OutHeight, ow = g.OutWidth, tw = plan.TilesWide;
            var xi = (long)plan.MStride;
            for (var kb = 0; kb < cout; kb += L)
            {
                for (var h = 0; h < L; h += TOps.Count)
                {
                    var b = biasPtr == null ? TOps.Zero : TOps.Load(biasPtr + kb + h);
                    for (var ty = 0; ty < plan.TilesHigh; ty++)
                    {
                        var below = (2 * ty) + 1 < oh;
                        for (var tx = 0; tx < tw; tx++)
                        {
                            var q = m + ((long)((ty * tw) + tx) * cout) + kb + h;

                            // Columns of M first: s_j = m0j + m1j + m2j, u_j = m1j − m2j − m3j (row ρ of M at ξ = 4ρ + j).
                            Fold(q, xi, out var s0, out var u0);
                            Fold(q + xi, xi, out var s1, out var u1);
                            Fold(q + (2 * xi), xi, out var s2, out var u2);
                            Fold(q + (3 * xi), xi, out var s3, out var u3);
                            var at = yh + ((long)((2 * ty * ow) + (2 * tx)) * cout) + kb + h;
                            var right = (2 * tx) + 1 < ow;
                            TOps.Store(TOps.Add(TOps.Add(TOps.Add(s0, s1), s2), b), at);
                            if (right)
                            {
                                TOps.Store(TOps.Add(TOps.Subtract(TOps.Subtract(s1, s2), s3), b), at + cout);
                            }

                            if (below)
                            {
                                var next = at + ((long)ow * cout);
                                TOps.Store(TOps.Add(TOps.Add(TOps.Add(u0, u1), u2), b), next);
                                if (right)
                                {
                                    TOps.Store(TOps.Add(TOps.Subtract(TOps.Subtract(u1, u2), u3), b), next + cout);
                                }
                            }
                        }
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Fold(float* q, long xi, out TVec s, out TVec u)
        {
            TVec m0 = TOps.Load(q), m1 = TOps.Load(q + (4 * xi)), m2 = TOps.Load(q + (8 * xi)), m3 = TOps.Load(q + (12 * xi));
            s = TOps.Add(TOps.Add(m0, m1), m2);
            u = TOps.Subtract(TOps.Subtract(m1, m2), m3);
        }

        /// <summary>out[k][p] = (accumulate ? out[k][p] : 0) + yh[p][k], by 8×8 transposes; scalar remainder.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Unpack(float* yh, float* outSample)
        {
            int cout = g.OutChannels, pixels = g.OutHeight * g.OutWidth;
            var tile = stackalloc float[64];
            for (var k0 = 0; k0 < cout; k0 += 8)
            {
                var p0 = 0;
                for (; p0 + 8 <= pixels; p0 += 8)
                {
                    var src = yh + ((long)p0 * cout) + k0;
                    var dst = outSample + ((long)k0 * pixels) + p0;
                    if (!accumulate)
                    {
                        ConvPacking.Transpose8x8(src, cout, dst, pixels);
                        continue;
                    }

                    ConvPacking.Transpose8x8(src, cout, tile, 8);
                    for (var r = 0; r < 8; r++)
                    {
                        var row = dst + ((long)r * pixels);
                        (Vector256.Load(row) + Vector256.Load(tile + (r * 8))).Store(row);
                    }
                }

                for (var k = k0; k < k0 + 8; k++)
                {
                    var plane = outSample + ((long)k * pixels);
                    for (var p = p0; p < pixels; p++)
                    {
                        var value = yh[((long)p * cout) + k];
                        plane[p] = accumulate ? plane[p] + value : value;
                    }
                }
            }
        }
    }
}
