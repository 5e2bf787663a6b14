using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Internal;
using GradSign.Networks;

namespace GradSign.Tests.Backends.Managed;

/// <summary>Hessian-vector products against central differences of the float64 gradient.</summary>
public sealed class ManagedHessianTests
{
    public static TheoryData<string, Objective> Cases() => TestNets.NetObjectiveCases();

    /// <summary>
    /// H·v ≈ (g(θ + εv) − g(θ − εv)) / 2ε. Exact for the smooth net up to O(ε²); the nets with ReLU and max pooling
    /// are checked too, which is valid as long as no kink is crossed within ±εv (with ε = 2⁻¹⁷ and random data it is not).
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void HessianVectorProduct_MatchesFiniteDifferencesOfGradient(string net, Objective objective)
    {
        var spec = TestNets.ByName(net);
        var weights = TestNets.Weights(spec, 31);
        var batch = TestNets.RandomBatch(spec, 4, 32);
        var v = Direction(spec, 33);
        using var e = TestNets.Managed.Compile(weights, TestNets.F64);
        var hv = e.HessianVectorProduct(batch, objective, v);

        var plus = Gradient(Shift(weights, v, +TestNets.Epsilon), batch, objective);
        var minus = Gradient(Shift(weights, v, -TestNets.Epsilon), batch, objective);
        double err = 0, norm = 0;
        for (var p = 0; p < hv.Length; p++)
        {
            for (var j = 0; j < hv[p].Length; j++)
            {
                var fd = (plus[p][j] - minus[p][j]) / (2 * TestNets.Epsilon);
                err += (hv[p][j] - fd) * (hv[p][j] - fd);
                norm += fd * fd;
            }
        }

        Assert.True(norm > 0, "degenerate test: H·v is zero");
        Assert.True(Math.Sqrt(err) <= 1e-6 * Math.Sqrt(norm), $"{net}/{objective}: |Hv − FD| = {Math.Sqrt(err):E3}, |FD| = {Math.Sqrt(norm):E3}");
    }

    [Fact]
    public void HessianVectorProduct_NullEntries_MeanZeroDirection()
    {
        var spec = TestNets.Smooth();
        var weights = TestNets.Weights(spec, 41);
        var batch = TestNets.RandomBatch(spec, 3, 42);
        var v = Direction(spec, 43);
        var sparse = v.Select((a, i) => i % 2 == 0 ? a : null).ToArray();
        var zeros = v.Select((a, i) => i % 2 == 0 ? a : new double[a!.Length]).ToArray();
        using var e = TestNets.Managed.Compile(weights, TestNets.F64);
        var a = e.HessianVectorProduct(batch, Objective.CrossEntropy, sparse);
        var b = e.HessianVectorProduct(batch, Objective.CrossEntropy, zeros);
        for (var p = 0; p < a.Length; p++)
        {
            Assert.Equal(b[p], a[p]);
        }
    }

    [Fact]
    public void HessianVectorProduct_Float32_AgreesWithFloat64()
    {
        var spec = TestNets.MiniResNet();
        var weights = TestNets.Weights(spec, 51);
        var batch = TestNets.RandomBatch(spec, 4, 52);
        var v = Direction(spec, 53);
        using var e64 = TestNets.Managed.Compile(weights, TestNets.F64);
        using var e32 = TestNets.Managed.Compile(weights, ExecutionOptions.Default);
        var h64 = e64.HessianVectorProduct(batch, Objective.CrossEntropy, v);
        var h32 = e32.HessianVectorProduct(batch, Objective.CrossEntropy, v);
        var scale = h64.SelectMany(a => a).Max(Math.Abs);
        for (var p = 0; p < h64.Length; p++)
        {
            ManagedGradientTests.AssertClose(h64[p], h32[p], 1e-3, spec.Parameters[p].Name, scale);
        }
    }

    [Fact]
    public void HessianVectorProduct_WrongLength_Throws()
    {
        var spec = TestNets.Smooth();
        using var e = TestNets.Managed.Compile(TestNets.Weights(spec, 1), TestNets.F64);
        var v = Direction(spec, 1);
        v[0] = new double[1];
        var ex = Assert.Throws<ArgumentException>(() => e.HessianVectorProduct(TestNets.RandomBatch(spec, 2, 1), Objective.CrossEntropy, v));
        Assert.Contains(spec.Parameters[0].Name, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A random direction with entries that are multiples of 2⁻⁴ in [−1, 1] (see <see cref="TestNets"/>).</summary>
    internal static double[]?[] Direction(NetworkSpec spec, ulong seed)
    {
        var rng = new SplitMix64(seed);
        return [.. spec.Parameters.Select(p => Enumerable.Range(0, p.ElementCount).Select(_ => Math.Round(((2 * rng.NextDouble()) - 1) * 16) / 16).ToArray())];
    }

    private static NetworkWeights Shift(NetworkWeights weights, double[]?[] v, double epsilon)
    {
        var w = weights.Clone();
        for (var p = 0; p < v.Length; p++)
        {
            for (var j = 0; j < v[p]!.Length; j++)
            {
                var shifted = w[p][j] + (epsilon * v[p]![j]);
                w[p][j] = (float)shifted;
                Assert.Equal(shifted, w[p][j]);
            }
        }

        return w;
    }

    private static double[][] Gradient(NetworkWeights weights, Batch batch, Objective objective)
    {
        using var e = TestNets.Managed.Compile(weights, TestNets.F64);
        return e.Backward(batch, objective).ParameterGradients;
    }
}
