using GradSign.Backends;

namespace GradSign.Tests.Backends.Reference;

/// <summary>The conformance suite on the naive float64 reference backend.</summary>
public sealed class ReferenceBackendConformanceTests : BackendConformanceTests
{
    protected override ITensorBackend CreateBackend() => new ReferenceBackend();
}
