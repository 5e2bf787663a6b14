namespace GradSign.Backends.TorchSharp;

/// <summary>Where a <see cref="TorchSharpBackend"/> runs its networks.</summary>
public enum TorchSharpDevice
{
    /// <summary>LibTorch's CPU kernels (the default; needs the <c>TorchSharp-cpu</c> natives or a CUDA build).</summary>
    Cpu,

    /// <summary>The first CUDA GPU; the backend refuses to start when <c>torch.cuda.is_available()</c> is false.</summary>
    Cuda,

    /// <summary>CUDA when <c>torch.cuda.is_available()</c>, otherwise the CPU.</summary>
    Auto,
}
