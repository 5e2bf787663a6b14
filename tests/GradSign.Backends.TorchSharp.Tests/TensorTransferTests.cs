using GradSign.Backends.TorchSharp;
using static TorchSharp.torch;

namespace GradSign.Tests.TorchSharp;

/// <summary>Copies between arrays and tensors, and the channels-last layout.</summary>
public sealed class TensorTransferTests
{
    [Fact]
    public void From_ThenCopyTo_RoundTripsValuesInBothPrecisions()
    {
        float[] values = [1.5f, -2.25f, 0f, -0f, 3e-38f, 7f];
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            using var scope = NewDisposeScope();
            var t = TensorTransfer.From(values, [1, 2, 3], dtype, CPU);
            var back = new double[values.Length];
            TensorTransfer.CopyTo(t, back);
            Assert.Equal(values.Select(v => (double)v), back);
        }
    }

    [Fact]
    public void ChannelsLast_KeepsValuesAndLaysChannelsInnermost()
    {
        using var scope = NewDisposeScope();
        var values = Enumerable.Range(0, 2 * 3 * 4 * 5).Select(i => (float)i).ToArray();
        var nchw = TensorTransfer.From(values, [2, 3, 4, 5], ScalarType.Float32, CPU);
        var nhwc = TensorTransfer.ChannelsLast(nchw);
        Assert.Equal(new long[] { 2, 3, 4, 5 }, nhwc.shape);
        Assert.False(nhwc.is_contiguous());
        Assert.True(nhwc.permute(0, 2, 3, 1).is_contiguous());
        Assert.Equal(TensorTransfer.ToDoubles(nchw), TensorTransfer.ToDoubles(nhwc));
        var vector = TensorTransfer.From(values[..7], [7], ScalarType.Float32, CPU);
        Assert.Same(vector, TensorTransfer.ChannelsLast(vector));
    }
}
