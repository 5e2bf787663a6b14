using GradSign.Backends.Managed;
using GradSign.Backends.Managed.Kernels;
using static GradSign.Tests.Backends.Managed.Kernels.KernelTestData;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>
/// <see cref="BatchNormForward"/> with its ReLU output against the scalar <c>max(output, 0)</c> of the same call without
/// it: the normalised output unchanged and the ReLU bit-identical, on odd sizes, batch and per-sample statistics, with and
/// without affine parameters, in both rounding recipes.
/// </summary>
[Trait("Category", "Kernels")]
public class BatchNormReluKernelTests
{
    public static TheoryData<int, int, int, bool, bool, bool> Cases() => new()
    {
        // batch, channels, spatial, per sample, affine, reference rounding
        { 3, 7, 67, false, true, true },
        { 3, 7, 67, false, false, true },
        { 5, 3, 17, false, true, false },
        { 2, 4, 33, true, true, false },
        { 3, 2, 1, true, false, false },
        { 8, 3, 1031, false, false, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_WithRelu_BitIdenticalToReluOfOutput(int batch, int channels, int spatial, bool perSample, bool affine, bool referenceRounding)
    {
        var layout = new BatchNormLayout(batch, channels, spatial, perSample);
        var x = Random<float>(batch * channels * spatial, 91);
        for (var i = 0; i < x.Length; i += 11)
        {
            x[i] = x[0]; // repeated values: some outputs land exactly on 0
        }

        var gamma = affine ? Random<float>(channels, 92).Select(v => 1 + (v / 4)).ToArray() : [];
        var beta = affine ? Random<float>(channels, 93) : [];

        var (plainXhat, plainY, plainInvStd) = (new float[x.Length], affine ? new float[x.Length] : [], new double[layout.Groups]);
        BatchNormForward.Run<float>(layout, x, plainXhat, plainY, gamma, beta, plainInvStd, 1e-5, 0, layout.Groups, referenceRounding);

        var (xhat, y, invStd, relu) = (new float[x.Length], affine ? new float[x.Length] : [], new double[layout.Groups], new float[x.Length]);
        BatchNormForward.Run<float>(layout, x, xhat, y, gamma, beta, invStd, 1e-5, 0, layout.Groups, referenceRounding, relu);

        Assert.Equal(plainXhat, xhat);
        Assert.Equal(plainY, y);
        Assert.Equal(plainInvStd, invStd);
        var output = affine ? plainY : plainXhat;
        for (var i = 0; i < x.Length; i++)
        {
            var expected = float.IsNaN(output[i]) ? output[i] : (output[i] > 0 ? output[i] : 0f);
            Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(relu[i]), $"element {i}: {relu[i]:R} vs {expected:R}");
        }
    }
}
