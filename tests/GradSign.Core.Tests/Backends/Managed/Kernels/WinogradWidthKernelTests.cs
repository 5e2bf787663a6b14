using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GradSign.Backends.Managed.Kernels;
using static GradSign.Tests.Backends.Managed.Kernels.KernelTestData;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>
/// The Winograd kernels on 512-, 256- and 128-bit registers give the same bits: the transforms are lane-wise and the
/// GEMMs sum in a fixed order whatever the tiles, so a CPU without AVX-512 reproduces an AVX-512 CPU's gradients. All
/// widths run on any x86 machine with AVX, which the blocked layout's 8×8 transposes need (a width the CPU lacks runs
/// in software, slowly but exactly; without AVX the tests check instead that the kernels are never chosen); that they are
/// right, not only equal, is checked against the scalar references in <see cref="Conv2dKernelTests"/>.
/// </summary>
[Trait("Category", "Kernels")]
public unsafe class WinogradWidthKernelTests
{
    /// <summary>Partial tiles, several input blocks, 48 outputs (odd strips), batch 1 (threads split the GEMMs), two
    /// weight-gradient chunks, the 8-pixel transposes' remainder.</summary>
    public static TheoryData<int, int, int, int, int, bool> Cases() => new()
    {
        // cin, h, w, cout, batch, accumulate
        { 16, 9, 7, 32, 2, true },
        { 48, 5, 6, 16, 1, false },
        { 32, 16, 16, 48, 3, false },
        { 64, 7, 8, 64, 2, true },
        { 16, 3, 33, 16, 1, true },
        { 32, 5, 4, 16, 20, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Convolution_EveryRegisterWidth_SameBits(int cin, int h, int w, int cout, int batch, bool accumulate)
    {
        var g = Geometry(cin, h, w, cout, 3, 1, 1);
        if (!Avx.IsSupported)
        {
            Assert.False(Conv3x3Winograd.Applies<float>(g));
            return;
        }

        var input = Random<float>(batch * g.InputSize, 31);
        var weight = Random<float>((int)g.WeightSize, 32);
        var bias = Random<float>(cout, 33);
        var initial = Random<float>(batch * g.OutputSize, 34);
        float[] Convolve<TVec, TOps>()
            where TVec : unmanaged
            where TOps : ISimdOps<float, TVec>
        {
            var output = (float[])initial.Clone();
            fixed (float* x = input, wt = weight, b = bias, y = output)
            {
                Conv3x3Winograd.Run<TVec, TOps>(g, batch, x, wt, false, b, y, accumulate, 2);
            }

            return output;
        }

        var wide = Bits(Convolve<Vector512<float>, Vector512Ops<float>>());
        Assert.Equal(wide, Bits(Convolve<Vector256<float>, Vector256Ops<float>>()));
        Assert.Equal(wide, Bits(Convolve<Vector128<float>, Vector128Ops<float>>()));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void WeightGradient_EveryRegisterWidth_SameBits(int cin, int h, int w, int cout, int batch, bool accumulate)
    {
        var g = Geometry(cin, h, w, cout, 3, 1, 1);
        if (!Avx.IsSupported)
        {
            Assert.False(Conv3x3WinogradWeight.Applies<float>(g, batch));
            return;
        }

        var input = Random<float>(batch * g.InputSize, 41);
        var gradOutput = Random<float>(batch * g.OutputSize, 42);
        var initial = Random<float>((int)g.WeightSize, 43);
        float[] Gradient<TVec, TOps>()
            where TVec : unmanaged
            where TOps : ISimdOps<float, TVec>
        {
            var gradWeight = (float[])initial.Clone();
            fixed (float* x = input, gy = gradOutput, gw = gradWeight)
            {
                Conv3x3WinogradWeight.Run<TVec, TOps>(g, batch, x, gy, gw, accumulate, 2);
            }

            return gradWeight;
        }

        var wide = Bits(Gradient<Vector512<float>, Vector512Ops<float>>());
        Assert.Equal(wide, Bits(Gradient<Vector256<float>, Vector256Ops<float>>()));
        Assert.Equal(wide, Bits(Gradient<Vector128<float>, Vector128Ops<float>>()));
    }

    /// <summary>Kernel scratch is handed out uninitialised: workspaces that held NaN give the same bits as fresh ones
    /// (the kernels zero what they read before they write it).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void BothKernels_ScratchFullOfNaN_SameBitsAsFreshScratch(int cin, int h, int w, int cout, int batch, bool accumulate)
    {
        var g = Geometry(cin, h, w, cout, 3, 1, 1);
        if (!Conv3x3Winograd.Applies<float>(g))
        {
            return; // no AVX: the direct kernels run instead (checked above)
        }

        var input = Random<float>(batch * g.InputSize, 51);
        var weight = Random<float>((int)g.WeightSize, 52);
        var gradOutput = Random<float>(batch * g.OutputSize, 53);
        (string[] Output, string[] GradWeight) Run(KernelScratch scratch)
        {
            var output = new float[batch * g.OutputSize];
            var gradWeight = new float[g.WeightSize];
            fixed (float* x = input, wt = weight, gy = gradOutput, y = output, gw = gradWeight)
            {
                Conv3x3Winograd.Run(g, batch, x, wt, false, null, y, accumulate, 2, scratch);
                Conv3x3WinogradWeight.Run(g, batch, x, gy, gw, accumulate, 2, scratch);
            }

            return (Bits(output), Bits(gradWeight));
        }

        var dirty = new KernelScratch();
        for (var length = 16; length <= 1 << 22; length *= 2)
        {
            var arrays = Enumerable.Range(0, KernelScratch.ArraysPerBucket).Select(_ => KernelScratch.Rent<float>(dirty, length)).ToList();
            foreach (var array in arrays)
            {
                Array.Fill(array, float.NaN);
                KernelScratch.Return(dirty, array);
            }
        }

        var fresh = Run(new KernelScratch());
        var reused = Run(dirty);
        Assert.Equal(fresh.Output, reused.Output);
        Assert.Equal(fresh.GradWeight, reused.GradWeight);
    }
}
