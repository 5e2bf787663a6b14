using GradSign.Backends;
using GradSign.Backends.TorchSharp;
using GradSign.Tests.Backends;

namespace GradSign.Tests.TorchSharp;

/// <summary>The oracle fixture engine checks (logits, gradients, GraSP's H·g, per-sample sign sums) on LibTorch, reference loop.</summary>
public sealed class TorchSharpFixtureTests : BackendFixtureTests
{
    private static readonly TorchSharpBackend s_backend = new(new TorchSharpBackendOptions { PerSampleGradients = PerSampleStrategy.Loop });

    protected override ITensorBackend Backend => s_backend;
}

/// <summary>The same checks with per-sample gradients from batched passes.</summary>
public sealed class TorchSharpBatchedFixtureTests : BackendFixtureTests
{
    private static readonly TorchSharpBackend s_backend = new(new TorchSharpBackendOptions { PerSampleGradients = PerSampleStrategy.Batched });

    protected override ITensorBackend Backend => s_backend;
}
