using GradSign.Backends.Execution;
using GradSign.Networks;
using TorchSharp;
using static TorchSharp.torch;
using TorchDevice = TorchSharp.torch.Device;

namespace GradSign.Backends.TorchSharp;

/// <summary>
/// A backend on LibTorch through the TorchSharp bindings: every layer of the seam runs on PyTorch's own CPU (oneDNN,
/// MKL) or CUDA kernels, gradients come from LibTorch's autograd, and Hessian-vector products from a double
/// backward pass, as the Python references compute them.
/// </summary>
/// <remarks>
/// <para>This package references only the <c>TorchSharp</c> bindings. The application supplies LibTorch's native
/// libraries by referencing <c>TorchSharp-cpu</c> (CPU) or a CUDA LibTorch package; see the documentation's
/// backends page, which also covers Linux systems whose libstdc++ predates GCC 13.</para>
/// <para>LibTorch's intra-op thread count is a process setting: each call sets it to its network's
/// <see cref="ExecutionOptions.MaxDegreeOfParallelism"/> (all cores for −1) when it differs.</para>
/// </remarks>
/// <threadsafety>Thread-safe; compiled networks are not thread-safe (compile one per thread).</threadsafety>
public sealed class TorchSharpBackend : ITensorBackend
{
    private readonly TorchDevice _device;
    private readonly PerSampleStrategy _perSample;

    /// <summary>A backend on the CPU with default options.</summary>
    /// <exception cref="InvalidOperationException">LibTorch's native libraries could not be loaded (the message says why).</exception>
    public TorchSharpBackend()
        : this(TorchSharpBackendOptions.Default)
    {
    }

    /// <summary>A backend with the given options.</summary>
    /// <param name="options">Device, per-sample strategy and its memory budget.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="NotSupportedException"><see cref="TorchSharpDevice.Cuda"/> was asked for and CUDA is not available.</exception>
    /// <exception cref="InvalidOperationException">LibTorch's native libraries could not be loaded (the message says why).</exception>
    public TorchSharpBackend(TorchSharpBackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PerSampleMemoryBytes <= 0)
        {
            throw new ArgumentException($"PerSampleMemoryBytes must be positive; got {options.PerSampleMemoryBytes}.", nameof(options));
        }

        if (!Enum.IsDefined(options.PerSampleGradients))
        {
            throw new ArgumentException($"Unknown per-sample strategy {options.PerSampleGradients}.", nameof(options));
        }

        Options = options;
        Device = DeviceSelection.Resolve(options.Device, LibTorchRuntime.CudaIsAvailable);
        LibTorchRuntime.EnsureLoaded(Device);
        _device = Device == TorchSharpDevice.Cuda ? new TorchDevice(DeviceType.CUDA, 0) : CPU;
        _perSample = DeviceSelection.Strategy(options.PerSampleGradients, Device);
    }

    /// <summary>The options this backend was created with.</summary>
    public TorchSharpBackendOptions Options { get; }

    /// <summary>The device the networks run on: <see cref="TorchSharpDevice.Cpu"/> or <see cref="TorchSharpDevice.Cuda"/>.</summary>
    public TorchSharpDevice Device { get; }

    /// <summary>The per-sample strategy in use: <see cref="PerSampleStrategy.Loop"/> or <see cref="PerSampleStrategy.Batched"/>.</summary>
    public PerSampleStrategy PerSampleGradients => _perSample;

    /// <summary>The LibTorch version the bindings loaded, e.g. <c>2.10.0</c>.</summary>
    public static string LibTorchVersion => LibTorchRuntime.Version;

    /// <inheritdoc />
    public string Name => "torchsharp";

    /// <inheritdoc />
    public BackendCapabilities Capabilities => BackendCapabilities.All;

    /// <inheritdoc />
    public INetworkExecutor Compile(NetworkWeights weights, ExecutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Precision is not (Precision.Float32 or Precision.Float64))
        {
            throw new ArgumentException($"Unknown precision {options.Precision}.", nameof(options));
        }

        return new TorchExecutor(weights, options, _device, _perSample, Options.PerSampleMemoryBytes, Options.ChannelsLast);
    }
}
