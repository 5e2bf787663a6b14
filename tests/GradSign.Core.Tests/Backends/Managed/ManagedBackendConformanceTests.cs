using GradSign.Backends;
using GradSign.Backends.Managed;

namespace GradSign.Tests.Backends.Managed;

/// <summary>The shared backend conformance suite on the managed backend.</summary>
public sealed class ManagedBackendConformanceTests : BackendConformanceTests
{
    protected override ITensorBackend CreateBackend() => new ManagedBackend();
}
