using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace GradSign.Backends.TorchSharp;

/// <summary>Copies between .NET arrays and LibTorch tensors on any device.</summary>
internal static class TensorTransfer
{
    /// <summary>A new tensor of <paramref name="dtype"/> on <paramref name="device"/> holding <paramref name="values"/> (row-major).</summary>
    public static Tensor From(ReadOnlySpan<float> values, long[] shape, ScalarType dtype, Device device)
    {
        var cpu = empty(shape, ScalarType.Float32);
        MemoryMarshal.AsBytes(values).CopyTo(cpu.bytes);
        if (dtype == ScalarType.Float32 && device.type == DeviceType.CPU)
        {
            return cpu;
        }

        using (cpu)
        {
            return cpu.to(dtype, device);
        }
    }

    /// <summary>A new tensor of <paramref name="dtype"/> on <paramref name="device"/> holding <paramref name="values"/> (row-major).</summary>
    public static Tensor From(ReadOnlySpan<double> values, long[] shape, ScalarType dtype, Device device)
    {
        using var cpu = empty(shape, ScalarType.Float64);
        MemoryMarshal.AsBytes(values).CopyTo(cpu.bytes);
        return cpu.to(dtype, device);
    }

    /// <summary>
    /// A 4-D tensor with the same values in channels-last strides (N, H, W, C in memory), or the tensor itself for other
    /// ranks. TorchSharp has no memory-format argument, so this permutes to NHWC, copies, and permutes the view back.
    /// </summary>
    public static Tensor ChannelsLast(Tensor t)
    {
        if (t.dim() != 4)
        {
            return t;
        }

        using var nhwc = t.permute(0, 2, 3, 1);
        using var copy = nhwc.contiguous();
        return copy.permute(0, 3, 1, 2);
    }

    /// <summary>Class labels as an int64 tensor on <paramref name="device"/>.</summary>
    public static Tensor Labels(int[] labels, Device device)
    {
        using var cpu = empty([labels.Length], ScalarType.Int32);
        MemoryMarshal.AsBytes(labels.AsSpan()).CopyTo(cpu.bytes);
        return cpu.to(ScalarType.Int64, device);
    }

    /// <summary>Copies a tensor of any floating type and device into <paramref name="destination"/> as float64.</summary>
    public static void CopyTo(Tensor source, Span<double> destination)
    {
        using var host = source.detach().to(ScalarType.Float64, CPU).contiguous();
        MemoryMarshal.Cast<byte, double>(host.bytes).CopyTo(destination);
    }

    /// <summary>Copies an int32 tensor of any device into <paramref name="destination"/>.</summary>
    public static void CopyTo(Tensor source, Span<int> destination)
    {
        using var host = source.to(ScalarType.Int32, CPU).contiguous();
        MemoryMarshal.Cast<byte, int>(host.bytes).CopyTo(destination);
    }

    /// <summary>A tensor's values as a new float64 array.</summary>
    public static double[] ToDoubles(Tensor source)
    {
        var result = new double[source.numel()];
        CopyTo(source, result);
        return result;
    }

    /// <summary>A scalar tensor's value as float64.</summary>
    public static double Scalar(Tensor source)
    {
        using var host = source.detach().to(ScalarType.Float64, CPU);
        return host.item<double>();
    }
}
