using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Backends.Managed;

namespace GradSign.Tests.Backends.Managed;

/// <summary>The oracle fixture engine checks on the managed backend.</summary>
public sealed class ManagedFixtureTests : BackendFixtureTests
{
    protected override ITensorBackend Backend => TestNets.Managed;
}
