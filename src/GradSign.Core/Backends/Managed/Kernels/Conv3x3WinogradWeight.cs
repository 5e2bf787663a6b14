using System.Runtime.CompilerServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Weight gradient of a 3×3 stride-1 pad-1 convolution by Winograd's F(3×3, 2×2): every 2×2 tile g of an output-gradient
/// plane and the 4×4 input patch d under it contribute <c>Σ_ab g[a,b]·d[a+i, b+j]</c> to tap (i, j), which costs 16
/// multiply-adds per (output, input) channel pair in the transformed domain instead of 36.
/// </summary>
/// <remarks>
/// <para>With A'ᵀ = [[1,1,1,0],[0,1,−1,0],[0,1,1,1]]: <c>∂W[k,c] = A'ᵀ·(Σ_(n,t) Gy[n,t,k] ⊙ V[n,t,c])·A'</c>, where V is the
/// forward pass's input transform (<see cref="WinogradTiles.TransformInput"/>) and Gy the output-gradient tile transform
/// (<see cref="WinogradTiles.TransformOutputGradient"/>). The sums over tiles and samples are 16 GEMMs of output channels
/// × input channels with a long reduction (<see cref="BlockedColumnKernel"/>).</para>
/// <para>Determinism: samples are cut into chunks of <see cref="Chunk"/> (fixed); each chunk's transformed sums are one
/// fixed-order reduction, chunk sums are added in chunk order, then transformed back once. Threads take whole chunks,
/// or, with one chunk (per-sample gradients), ranges of ξ; results do not depend on the thread count.</para>
/// <para>Scalar equivalent: <c>∂W[k,c,i,j] = Σ_n Σ_(y,x) ∂y[n,k,y,x]·x[n,c,y+i−1,x+j−1]</c> (the direct weight gradient),
/// up to rounding.</para>
/// </remarks>
internal static unsafe class Conv3x3WinogradWeight
{
    /// <summary>Samples per chunk (one transformed partial sum each).</summary>
    public const int Chunk = 16;

    private const int L = WinogradTiles.L;

    /// <summary>Whether <paramref name="batch"/> samples of <paramref name="g"/> run here: the geometries of
    /// <see cref="Conv3x3Winograd.Applies{T}"/>, with at least 64 tiles in all (fewer, e.g. one 8×8 sample, leave too
    /// little reduction to pay for the final transform, which writes every tap of every channel pair).</summary>
    public static bool Applies<T>(in ConvGeometry g, int batch)
        where T : unmanaged
        => Conv3x3Winograd.Applies<T>(g) && (long)batch * ((g.OutHeight + 1) / 2) * ((g.OutWidth + 1) / 2) >= 64;

    /// <summary>∂W (+)= the weight gradient over <paramref name="batch"/> samples; see the class remarks.</summary>
    public static void Run(in ConvGeometry g, int batch, float* input, float* gradOutput, float* gradWeight, bool accumulate, int threads, KernelScratch? scratch = null)
        => SimdDispatch<float>.Run(new Arguments(g, batch, input, gradOutput, gradWeight, accumulate, threads, scratch));

    /// <summary><see cref="Run(in ConvGeometry, int, float*, float*, float*, bool, int, KernelScratch?)"/> on
    /// <typeparamref name="TVec"/> registers (tests run every width on any machine).</summary>
    internal static void Run<TVec, TOps>(in ConvGeometry g, int batch, float* input, float* gradOutput, float* gradWeight, bool accumulate, int threads, KernelScratch? scratch = null)
        where TVec : unmanaged
        where TOps : ISimdOps<float, TVec>
    {
        int cin = g.InChannels, cout = g.OutChannels;
        var plan = new Plan(g);
        var chunks = (batch + Chunk - 1) / Chunk;
        var partialSize = 16 * cout * cin; // M[ξ][k][c]
        var partials = KernelScratch.Rent<float>(scratch, checked(chunks * partialSize));
        try
        {
            fixed (float* parts = partials)
            {
                new Span<float>(parts, chunks * partialSize).Clear();
                var job = new Job<TVec, TOps>(g, plan, batch, (nint)input, (nint)gradOutput, (nint)parts, scratch);
                if (chunks >= threads)
                {
                    KernelParallel.ForRanges(chunks, threads, (start, end) =>
                    {
                        job.Chunks(start, end, 1);
                    });
                }
                else
                {
                    job.Chunks(0, chunks, threads);
                }

                // Chunk sums in chunk order, then ∂W = A'ᵀ·M·A' (vectorised over 16 input channels).
                for (var j = 1; j < chunks; j++)
                {
                    var to = new Span<float>(parts, partialSize);
                    System.Numerics.Tensors.TensorPrimitives.Add(to, new ReadOnlySpan<float>(parts + ((long)j * partialSize), partialSize), to);
                }

                Untransform<TVec, TOps>(parts, cout, cin, gradWeight, accumulate);
            }
        }
        finally
        {
            KernelScratch.Return(scratch, partials);
        }
    }

    /// <summary>The arguments of <see cref="Conv3x3WinogradWeight.Run(in ConvGeometry, int, float*, float*, float*, bool, int, KernelScratch?)"/>,
    /// passed on to the register width <see cref="SimdDispatch{T}"/> picks (512 or 256 bits wherever <see cref="Applies{T}"/>).</summary>
    private readonly struct Arguments(ConvGeometry g, int batch, float* input, float* gradOutput, float* gradWeight, bool accumulate, int threads, KernelScratch? scratch) : ISimdJob<float>
    {
        public void Run<TVec, TOps>()
            where TVec : unmanaged
            where TOps : ISimdOps<float, TVec>
            => Conv3x3WinogradWeight.Run<TVec, TOps>(g, batch, input, gradOutput, gradWeight, accumulate, threads, scratch);
    }

    /// <summary>∂W[k, c, i, j] (+)= (A'ᵀ·M[·, k, c]·A')[i, j]; lanes hold consecutive input channels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Untransform<TVec, TOps>(float* m, int cout, int cin, float* gradWeight, bool accumulate)
        where TVec : unmanaged
        where TOps : ISimdOps<float, TVec>
    {
        var xi = (long)cout * cin;
        var taps = stackalloc float[9 * L];
        for (var k = 0; k < cout; k++)
        {
            for (var cb = 0; cb < cin; cb += L)
            {
                for (var h = 0; h < L; h += TOps.Count)
                {
                    var q = m + ((long)k * cin) + cb + h;

                    // Rows of M: R_i = A'ᵀ_i·M (R0 = M0 + M1 + M2, R1 = M1 − M2, R2 = M1 + M2 + M3), per column.
                    TVec r00, r01, r02, r03, r10, r11, r12, r13, r20, r21, r22, r23;
                    Rows(q, xi, 0, out r00, out r10, out r20);
                    Rows(q, xi, 1, out r01, out r11, out r21);
                    Rows(q, xi, 2, out r02, out r12, out r22);
                    Rows(q, xi, 3, out r03, out r13, out r23);
                    Columns(r00, r01, r02, r03, taps + h);
                    Columns(r10, r11, r12, r13, taps + (3 * L) + h);
                    Columns(r20, r21, r22, r23, taps + (6 * L) + h);
                }

                // Lanes are channels, ∂W is [k][c][tap]: scatter the 9 blocks.
                for (var l = 0; l < L; l++)
                {
                    var to = gradWeight + ((((long)k * cin) + cb + l) * 9);
                    for (var tap = 0; tap < 9; tap++)
                    {
                        var value = taps[(tap * L) + l];
                        to[tap] = accumulate ? to[tap] + value : value;
                    }
                }
            }
        }

        static void Rows(float* q, long xi, int column, out TVec r0, out TVec r1, out TVec r2)
        {
            TVec m0 = TOps.Load(q + (column * xi)), m1 = TOps.Load(q + ((4 + column) * xi));
            TVec m2 = TOps.Load(q + ((8 + column) * xi)), m3 = TOps.Load(q + ((12 + column) * xi));
            r0 = TOps.Add(TOps.Add(m0, m1), m2);
            r1 = TOps.Subtract(m1, m2);
            r2 = TOps.Add(TOps.Add(m1, m2), m3);
        }

        static void Columns(TVec c0, TVec c1, TVec c2, TVec c3, float* to)
        {
            TOps.Store(TOps.Add(TOps.Add(c0, c1), c2), to);
            TOps.Store(TOps.Subtract(c1, c2), to + L);
            TOps.Store(TOps.Add(TOps.Add(c1, c2), c3), to + (2 * L));
        }
    }

    /// <summary>Tiles, the samples per GEMM (tiles of several small images make one long reduction) and the workspace:
    /// [blocked padded input | blocked output gradient | V for a group | Gy for a group (+ slack rows)].</summary>
    private readonly struct Plan
    {
        public Plan(in ConvGeometry g)
        {
            TilesHigh = (g.OutHeight + 1) / 2;
            TilesWide = (g.OutWidth + 1) / 2;
            Tiles = TilesHigh * TilesWide;
            Group = Math.Clamp(128 / Tiles, 1, Chunk);
            BlockHeight = (2 * TilesHigh) + 2;
            BlockWidth = (2 * TilesWide) + 2;
            InputSize = g.InChannels / L * BlockHeight * BlockWidth * L;
            GradSize = g.OutChannels / L * (2 * TilesHigh) * (2 * TilesWide) * L;
            GroupTiles = Group * Tiles;

            // V's block stride and both ξ strides are kept off multiples of 4 KiB (all 16 ξ of a tile are touched together).
            VBlockStride = (GroupTiles * L) + ((GroupTiles * L * sizeof(float)) % 4096 == 0 ? L : 0);
            VXiStride = g.InChannels / L * VBlockStride;
            VXiStride += (VXiStride * sizeof(float)) % 4096 == 0 ? L : 0;
            GyXiStride = GroupTiles * g.OutChannels;
            GyXiStride += (GyXiStride * sizeof(float)) % 4096 == 0 ? L : 0;
            Workspace = checked(InputSize + GradSize + (16 * VXiStride) + (16 * GyXiStride) + BlockedColumnKernel.RowMultiple);
        }

        public int TilesHigh { get; }

        public int TilesWide { get; }

        public int Tiles { get; }

        public int Group { get; }

        public int GroupTiles { get; }

        public int BlockHeight { get; }

        public int BlockWidth { get; }

        public int InputSize { get; }

        public int GradSize { get; }

        public int VBlockStride { get; }

        public int VXiStride { get; }

        public int GyXiStride { get; }

        public int Workspace { get; }
    }

    /// <summary>Per-call state shared read-only by the worker threads.</summary>
    private readonly struct Job<TVec, TOps>(ConvGeometry g, Plan plan, int batch, nint input, nint gradOutput, nint partials, KernelScratch? scratch)
        where TVec : unmanaged
        where TOps : ISimdOps<float, TVec>
    {
        /// <summary>Chunks [start, end): each sums its samples' transformed products into its partial.</summary>
        public void Chunks(int start, int end, int threads)
        {
            var ws = KernelScratch.Rent<float>(scratch, plan.Workspace);
            try
            {
                fixed (float* w = ws)
                {
                    // Only the blocked planes need zeros (borders and tile padding are never written). V and Gy rows are
                    // written before a GEMM reads them; what a GEMM reads past them (A's columns up to RowMultiple) only
                    // feeds accumulator rows it discards. Clearing all of V and Gy cost 3 % of GradSign's time, because
                    // per-sample gradients run this once per sample and layer.
                    new Span<float>(w, plan.InputSize + plan.GradSize).Clear();
                    for (var j = start; j < end; j++)
                    {
                        var last = Math.Min(batch, (j + 1) * Chunk);
                        for (var n = j * Chunk; n < last; n += plan.Group)
                        {
                            Group(n, Math.Min(plan.Group, last - n), w, (float*)partials + ((long)j * 16 * g.OutChannels * g.InChannels), threads);
                        }
                    }
                }
            }
            finally
            {
                KernelScratch.Return(scratch, ws);
            }
        }

        /// <summary>Samples [first, first + count): transforms into V and Gy (tiles of the group one after another), then
        /// M[ξ] += Gy[ξ]ᵀ·V[ξ] (ξ split over <paramref name="threads"/>).</summary>
        private void Group(int first, int count, float* ws, float* m, int threads)
        {
            int cin = g.InChannels, cout = g.OutChannels;
            var xb = ws;
            var gb = xb + plan.InputSize;
            var v = gb + plan.GradSize;
            var gy = v + (16 * plan.VXiStride);
            for (var s = 0; s < count; s++)
            {
                var n = first + s;
                WinogradTiles.Block((float*)input + ((long)n * g.InputSize), cin, g.Height, g.Width, xb, plan.BlockHeight, plan.BlockWidth, 1);
                WinogradTiles.TransformInput<TVec, TOps>(xb, cin / L, plan.BlockHeight, plan.BlockWidth, plan.TilesHigh, plan.TilesWide, v + ((long)s * plan.Tiles * L), plan.VBlockStride, plan.VXiStride);
                WinogradTiles.Block((float*)gradOutput + ((long)n * g.OutputSize), cout, g.OutHeight, g.OutWidth, gb, 2 * plan.TilesHigh, 2 * plan.TilesWide, 0);
                WinogradTiles.TransformOutputGradient<TVec, TOps>(gb, cout / L, 2 * plan.TilesHigh, 2 * plan.TilesWide, plan.TilesHigh, plan.TilesWide, gy + ((long)s * plan.Tiles * cout), cout, plan.GyXiStride);
            }

            var steps = count * plan.Tiles;
            var p = plan;
            nint va = (nint)v, ga = (nint)gy, ma = (nint)m;
            var parts = Math.Min(threads, 16);
            KernelParallel.For(parts, part =>
            {
                var (start, end) = KernelParallel.Range(16, parts, part);
                for (var xi = start; xi < end; xi++)
                {
                    BlockedColumnKernel.Run<float, TVec, TOps>(
                        (float*)ga + ((long)xi * p.GyXiStride), cout, (float*)va + ((long)xi * p.VXiStride), p.VBlockStride, steps,
                        (float*)ma + ((long)xi * cout * cin), cin, cout, cin);
                }
            });
        }
    }
}
