namespace GradSign.Backends.TorchSharp;

/// <summary>Resolves the requested device and per-sample strategy; pure functions, so the CUDA path is testable anywhere.</summary>
internal static class DeviceSelection
{
    /// <summary>The device to run on: <see cref="TorchSharpDevice.Cpu"/> or <see cref="TorchSharpDevice.Cuda"/>.</summary>
    /// <param name="requested">The option.</param>
    /// <param name="cudaIsAvailable"><c>torch.cuda.is_available()</c>; not called for <see cref="TorchSharpDevice.Cpu"/>.</param>
    /// <returns>The resolved device.</returns>
    /// <exception cref="NotSupportedException">CUDA was required and is not available.</exception>
    public static TorchSharpDevice Resolve(TorchSharpDevice requested, Func<bool> cudaIsAvailable) => requested switch
    {
        TorchSharpDevice.Cpu => TorchSharpDevice.Cpu,
        TorchSharpDevice.Cuda => cudaIsAvailable()
            ? TorchSharpDevice.Cuda
            : throw new NotSupportedException(
                "TorchSharpDevice.Cuda was requested but torch.cuda.is_available() is false: the application needs a CUDA build of LibTorch " +
                "(a libtorch-cuda package instead of TorchSharp-cpu), an NVIDIA GPU and its driver. Use TorchSharpDevice.Auto to fall back to the CPU."),
        TorchSharpDevice.Auto => cudaIsAvailable() ? TorchSharpDevice.Cuda : TorchSharpDevice.Cpu,
        _ => throw new ArgumentOutOfRangeException(nameof(requested), requested, "Unknown device."),
    };

    /// <summary>The per-sample strategy: <see cref="PerSampleStrategy.Auto"/> becomes the loop on the CPU and batched passes on CUDA.</summary>
    /// <param name="requested">The option.</param>
    /// <param name="device">The resolved device.</param>
    /// <returns><see cref="PerSampleStrategy.Loop"/> or <see cref="PerSampleStrategy.Batched"/>.</returns>
    public static PerSampleStrategy Strategy(PerSampleStrategy requested, TorchSharpDevice device) => requested switch
    {
        PerSampleStrategy.Auto => device == TorchSharpDevice.Cuda ? PerSampleStrategy.Batched : PerSampleStrategy.Loop,
        _ => requested,
    };
}
