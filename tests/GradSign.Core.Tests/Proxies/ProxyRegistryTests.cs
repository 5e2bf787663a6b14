using GradSign.Backends;
using GradSign.Networks;
using GradSign.Proxies;

namespace GradSign.Tests.Proxies;

public class ProxyRegistryTests
{
    /// <summary>A third-party proxy defined outside the library: the number of ReLU layers.</summary>
    private sealed class ReluCountProxy : IZeroCostProxy
    {
        public string Id => "relu_count";

        public ProxyRequirements Requirements { get; } = new(false, BackendCapabilities.None);

        public ProxyScore Compute(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default)
            => new(Id, weights.Spec.Layers.Count(l => l is ReluLayer));
    }

    private sealed class NamedProxy(string id) : IZeroCostProxy
    {
        public string Id => id;

        public ProxyRequirements Requirements { get; } = new(false, BackendCapabilities.None);

        public ProxyScore Compute(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default) => new(Id, 0);
    }

    [Fact]
    public void CreateDefault_HoldsEveryBuiltIn_WithUniqueLowerCaseIds()
    {
        var registry = ProxyRegistry.CreateDefault();
        string[] expected = ["gradsign", "synflow", "grasp", "snip", "naswot", "grad_norm", "fisher", "jacob_cov", "params", "flops", "zico", "zen"];
        Assert.Equal(expected, registry.Ids);
        Assert.Equal(["vote", "logrank"], registry.EnsembleIds);
        Assert.DoesNotContain(registry.Proxies, p => p is ProxyEnsemble);
        Assert.Equal(registry.EnsembleIds, registry.Ensembles.Select(e => e.Id));
        Assert.Equal(["zen", "vote"], registry.Resolve("zen,vote").Select(p => p.Id));
        Assert.Throws<ArgumentException>(() => registry.Register(new NamedProxy("vote")));
        Assert.Equal(registry.Ids.Count, registry.Ids.Distinct().Count());
        Assert.All(registry.Proxies, p => Assert.Equal(p.Id.ToLowerInvariant(), p.Id));
        Assert.All(registry.Ids, id => Assert.Equal(id, registry.Get(id).Id));
    }

    [Fact]
    public void CreateDefault_ReturnsIndependentInstances()
    {
        var a = ProxyRegistry.CreateDefault();
        a.Register(new ReluCountProxy());
        Assert.False(ProxyRegistry.CreateDefault().TryGet("relu_count", out _));
    }

    [Fact]
    public void Register_ExternalProxy_IsFoundAndRuns()
    {
        var registry = ProxyRegistry.CreateDefault();
        registry.Register(new ReluCountProxy());

        Assert.True(registry.TryGet("relu_count", out var proxy));
        var score = proxy.Compute(TinyNetworks.Weights(), TinyNetworks.Batch(), new ProxyContext(new FakeBackend()));
        Assert.Equal(2, score.Value);
        Assert.Equal("relu_count", registry.Ids[^1]);
    }

    [Fact]
    public void Register_DuplicateId_Throws()
    {
        var registry = ProxyRegistry.CreateDefault();
        var ex = Assert.Throws<ArgumentException>(() => registry.Register(new NamedProxy("snip")));
        Assert.Contains("'snip'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Snip")]
    [InlineData("1proxy")]
    [InlineData("my proxy")]
    [InlineData("grad.norm")]
    public void Register_MalformedId_Throws(string id)
        => Assert.Throws<ArgumentException>(() => new ProxyRegistry().Register(new NamedProxy(id)));

    [Fact]
    public void TryGet_UnknownId_ReturnsFalse_AndGetListsKnownIds()
    {
        var registry = ProxyRegistry.CreateDefault();
        Assert.False(registry.TryGet("grad_conflict", out var none));
        Assert.Null(none);
        var ex = Assert.Throws<KeyNotFoundException>(() => registry.Get("grad_conflict"));
        Assert.Contains("gradsign", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_CommaList_KeepsOrder_AndRejectsDuplicates()
    {
        var registry = ProxyRegistry.CreateDefault();
        Assert.Equal(["naswot", "snip"], registry.Resolve(" naswot, snip ").Select(p => p.Id));
        Assert.Throws<ArgumentException>(() => registry.Resolve("snip,snip"));
        Assert.Throws<ArgumentException>(() => registry.Resolve(" , "));
        Assert.Throws<KeyNotFoundException>(() => registry.Resolve("snip,nope"));
    }
}
