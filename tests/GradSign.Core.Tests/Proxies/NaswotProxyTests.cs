using GradSign.Proxies;

namespace GradSign.Tests.Proxies;

public class NaswotProxyTests
{
    // Layer 3 is the wrapper-named ReLU (counts twice under the reference rule), layer 5 the plain one.
    private static FakeBackend Backend() => new()
    {
        Codes = (_, b) =>
        [
            (3, 2, [0b01UL, 0b11UL, 0b00UL]),   // samples: 10, 11, 00 (bit u of the word is unit u)
            (5, 1, [0b1UL, 0b0UL, 0b0UL]),
        ],
    };

    [Fact]
    public void ComputeKernel_ReferenceMultiplicity_DoublesWrapperNamedRelu()
    {
        var k = new NaswotProxy().ComputeKernel(TinyNetworks.Weights(), TinyNetworks.Batch(count: 3, labels: false), new GradSign.Proxies.ProxyContext(Backend()));

        // Layer 3 agreements (units 2): [[2,1,1],[1,2,0],[1,0,2]] × 2; layer 5 (units 1): [[1,0,0],[0,1,1],[0,1,1]].
        double[,] expected = { { 5, 2, 2 }, { 2, 5, 1 }, { 2, 1, 5 } };
        Assert.Equal(expected, k);
    }

    [Fact]
    public void Compute_ReluOnce_CountsEveryReluOnce()
    {
        var proxy = new NaswotProxy(new NaswotOptions { Multiplicity = NaswotReluMultiplicity.Once });
        var weights = TinyNetworks.Weights();
        var batch = TinyNetworks.Batch(count: 3, labels: false);

        var k = proxy.ComputeKernel(weights, batch, new ProxyContext(Backend()));
        double[,] expected = { { 3, 1, 1 }, { 1, 3, 1 }, { 1, 1, 3 } };
        Assert.Equal(expected, k);

        // det [[3,1,1],[1,3,1],[1,1,3]] = 20.
        Assert.Equal(Math.Log(20), proxy.Compute(weights, batch, new ProxyContext(Backend())).Value, 12);
    }

    [Fact]
    public void Compute_CodesForANonReluLayer_Throws()
    {
        var backend = new FakeBackend { Codes = (_, _) => [(2, 1, [0UL, 0UL, 0UL])] };
        Assert.Throws<InvalidOperationException>(() => new NaswotProxy().Compute(TinyNetworks.Weights(), TinyNetworks.Batch(count: 3, labels: false), new ProxyContext(backend)));
    }
}
