namespace GradSign.Backends.TorchSharp;

/// <summary>How a <see cref="TorchSharpBackend"/> runs. Immutable.</summary>
public sealed record TorchSharpBackendOptions
{
    /// <summary>Default: the CPU, NCHW, per-sample strategy chosen by device, 256 MiB of per-sample parameter copies.</summary>
    public static TorchSharpBackendOptions Default { get; } = new();

    /// <summary>The device (default <see cref="TorchSharpDevice.Cpu"/>).</summary>
    public TorchSharpDevice Device { get; init; } = TorchSharpDevice.Cpu;

    /// <summary>How per-sample gradients are computed (default <see cref="PerSampleStrategy.Auto"/>).</summary>
    public PerSampleStrategy PerSampleGradients { get; init; } = PerSampleStrategy.Auto;

    /// <summary>
    /// Keep the input and convolution weights in channels-last (NHWC) strides, the layout oneDNN's CPU convolutions
    /// prefer (default false: NCHW, as the references). Results are the same up to float rounding.
    /// </summary>
    public bool ChannelsLast { get; init; }

    /// <summary>
    /// <see cref="PerSampleStrategy.Batched"/> only: bytes of per-sample parameter copies and their gradients one
    /// group of samples may hold; the group size follows from it (at least one sample). Default 256 MiB.
    /// </summary>
    public long PerSampleMemoryBytes { get; init; } = 256L << 20;
}
