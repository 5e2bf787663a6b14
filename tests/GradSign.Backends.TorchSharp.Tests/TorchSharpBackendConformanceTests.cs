using GradSign.Backends;
using GradSign.Backends.TorchSharp;
using GradSign.Tests.Backends;

namespace GradSign.Tests.TorchSharp;

/// <summary>The shared backend conformance suite on LibTorch (CPU), per-sample gradients by the reference loop.</summary>
public sealed class TorchSharpBackendConformanceTests : BackendConformanceTests
{
    protected override ITensorBackend CreateBackend() => new TorchSharpBackend(new TorchSharpBackendOptions { PerSampleGradients = PerSampleStrategy.Loop });
}

/// <summary>The same suite with per-sample gradients from batched passes, two samples per group so that groups split the batch.</summary>
public sealed class TorchSharpBatchedBackendConformanceTests : BackendConformanceTests
{
    protected override ITensorBackend CreateBackend() => new TorchSharpBackend(new TorchSharpBackendOptions
    {
        PerSampleGradients = PerSampleStrategy.Batched,
        PerSampleMemoryBytes = 1,
    });
}

/// <summary>The same suite with the input and convolution weights in channels-last strides.</summary>
public sealed class TorchSharpChannelsLastBackendConformanceTests : BackendConformanceTests
{
    protected override ITensorBackend CreateBackend() => new TorchSharpBackend(new TorchSharpBackendOptions { ChannelsLast = true });
}
