using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Internal;
using GradSign.Networks;

namespace GradSign.Tests.Backends;

public abstract partial class BackendConformanceTests
{
    public static TheoryData<string, Objective> SmoothNetworksAndObjectives
    {
        get
        {
            var data = new TheoryData<string, Objective>();
            foreach (var name in ConformanceNetworks.SmoothOnes)
            {
                data.Add(name, Objective.CrossEntropy);
                data.Add(name, Objective.SumOfLogits);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(SmoothNetworksAndObjectives))]
    public void HessianVectorProduct_SmoothNetwork_MatchesFiniteDifferencesOfGradient(string network, Objective objective)
    {
        // Without ReLU and max pooling the objective is smooth, so (∇L(θ + h v) − ∇L(θ − h v)) / 2h = H v + O(h²).
        // The BatchNorms make this exercise their second-order terms.
        var spec = ConformanceNetworks.Get(network);
        var weights = ConformanceData.RandomWeights(spec, 51);
        var batch = ConformanceData.RandomBatch(spec, 3, 52);
        var v = RandomVector(spec, Rng(53), skipEvery: 3);
        double[][] hv;
        using (var net = Backend.Compile(weights, Float64))
        {
            hv = net.HessianVectorProduct(batch, objective, v);
        }

        using var plus = Backend.Compile(ConformanceData.Perturb(weights, v, ConformanceData.Step), Float64);
        using var minus = Backend.Compile(ConformanceData.Perturb(weights, v, -ConformanceData.Step), Float64);
        var gPlus = plus.Backward(batch, objective).ParameterGradients;
        var gMinus = minus.Backward(batch, objective).ParameterGradients;
        var scale = hv.SelectMany(a => a).Max(Math.Abs);
        Assert.True(scale > 1e-3, "degenerate test: H·v is almost zero");
        foreach (var p in spec.Parameters)
        {
            var fd = gPlus[p.Index].Zip(gMinus[p.Index], (a, b) => (a - b) / (2 * ConformanceData.Step)).ToArray();
            for (var i = 0; i < fd.Length; i++)
            {
                Assert.True(Math.Abs(fd[i] - hv[p.Index][i]) <= 1e-7 * scale, $"{network} {objective} (Hv)[{p.Name}][{i}]: finite difference {fd[i]:R}, backend {hv[p.Index][i]:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllNetworksAndObjectives))]
    public void HessianVectorProduct_AnyNetwork_IsSymmetric(string network, Objective objective)
    {
        // H is symmetric (within one linear piece of ReLU/max pool), so u·(H v) = v·(H u).
        var spec = ConformanceNetworks.Get(network);
        using var net = Backend.Compile(ConformanceData.RandomWeights(spec, 54), Float64);
        var batch = ConformanceData.RandomBatch(spec, 3, 55);
        var rng = Rng(56);
        var u = RandomVector(spec, rng, skipEvery: 0);
        var v = RandomVector(spec, rng, skipEvery: 0);
        var uHv = ConformanceData.Dot(u, net.HessianVectorProduct(batch, objective, v));
        var vHu = ConformanceData.Dot(v, net.HessianVectorProduct(batch, objective, u));
        Assert.True(Math.Abs(uHv - vHu) <= 1e-10 * Math.Max(1, Math.Abs(uHv)), $"u·Hv = {uHv:R}, v·Hu = {vHu:R}");

        // Σ logits after a final BatchNorm → GAP → linear is W·Σ_n mean(BN output) + N·b = N·b (BN outputs have zero
        // mean over the batch), so H = 0 there; everywhere else a vanishing u·Hv would make the check meaningless.
        if (!(network == "RemovableBn" && objective == Objective.SumOfLogits))
        {
            Assert.True(Math.Abs(uHv) > 1e-6, "degenerate test: u·Hv is almost zero");
        }
    }

    [Fact]
    public void HessianVectorProduct_NullDirections_ActAsZeroAndResultIsLinear()
    {
        var spec = ConformanceNetworks.Smooth();
        using var net = Backend.Compile(ConformanceData.RandomWeights(spec, 57), Float64);
        var batch = ConformanceData.RandomBatch(spec, 2, 58);
        var none = net.HessianVectorProduct(batch, Objective.CrossEntropy, new double[]?[spec.Parameters.Count]);
        Assert.Equal(spec.Parameters.Count, none.Length);
        Assert.All(spec.Parameters, p => Assert.Equal(new double[p.ElementCount], none[p.Index]));

        var v = RandomVector(spec, Rng(59), skipEvery: 2);
        var zeros = v.Select((a, i) => a ?? new double[spec.Parameters[i].ElementCount]).ToArray();
        var twice = v.Select(a => a?.Select(x => 2 * x).ToArray()).ToArray();
        var hv = net.HessianVectorProduct(batch, Objective.CrossEntropy, v);
        var hZeros = net.HessianVectorProduct(batch, Objective.CrossEntropy, zeros);
        var hTwice = net.HessianVectorProduct(batch, Objective.CrossEntropy, twice);
        foreach (var p in spec.Parameters)
        {
            AssertClose(hv[p.Index], hZeros[p.Index], 1e-12, p.Name);
            AssertClose(hv[p.Index].Select(x => 2 * x).ToArray(), hTwice[p.Index], 1e-12, p.Name);
        }
    }

    [Fact]
    public void HessianVectorProduct_BilinearObjective_EqualsCrossGradient()
    {
        // Σ logits of conv → avg pool → GAP → linear is bilinear in the weights: H has zero diagonal blocks,
        // and with v only on the linear layer H·v lives only on the conv weight, equal to ∂(Σ logits)/∂W_conv along v.
        var b = new NetworkBuilder(2, 5, 5);
        var x = b.AvgPool(b.Conv2d(NetworkBuilder.Input, 3, kernel: 3, padding: 1, weightName: "c.weight"), 3, 2, 1);
        b.Linear(b.GlobalAvgPool(x), 2, "fc", bias: false);
        var spec = b.Build();
        var weights = ConformanceData.RandomWeights(spec, 60);
        var batch = ConformanceData.RandomBatch(spec, 2, 61, labelled: false);
        using var net = Backend.Compile(weights, Float64);
        var v = new double[]?[] { null, ConformanceData.RandomDirection(spec.Parameters[1].ElementCount, Rng(62)) };
        var hv = net.HessianVectorProduct(batch, Objective.SumOfLogits, v);
        Assert.All(hv[1], h => Assert.Equal(0.0, h, 1e-14));

        // The conv gradient is linear in the linear weights, so gradient(θ_fc = v) is exactly H·v's conv block.
        var probe = weights.Clone();
        probe[1].AsSpan().Clear();
        for (var i = 0; i < v[1]!.Length; i++)
        {
            probe[1][i] = (float)v[1]![i];
        }

        using var probeNet = Backend.Compile(probe, Float64);
        AssertClose(probeNet.Backward(batch, Objective.SumOfLogits).ParameterGradients[0], hv[0], 1e-12, "conv block of H·v");
    }

    private static double[]?[] RandomVector(NetworkSpec spec, SplitMix64 rng, int skipEvery)
        => [.. spec.Parameters.Select(p => skipEvery > 0 && p.Index % skipEvery == skipEvery - 1 ? null : ConformanceData.RandomDirection(p.ElementCount, rng))];
}
