using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Data;
using GradSign.Networks;

namespace GradSign.Tests.Backends.Managed;

/// <summary>Analytic gradients against float64 central finite differences (exact float32 perturbations, see <see cref="TestNets"/>).</summary>
public sealed class ManagedGradientTests
{
    public static TheoryData<string, Objective> Cases() => TestNets.NetObjectiveCases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_ParameterGradients_MatchFiniteDifferences(string net, Objective objective)
    {
        var spec = TestNets.ByName(net);
        var weights = TestNets.Weights(spec, 11);
        var batch = TestNets.RandomBatch(spec, 3, 5);
        using var e = TestNets.Managed.Compile(weights, TestNets.F64);
        var g = e.Backward(batch, objective);
        Assert.Equal(TestNets.Objective(weights, batch, objective), g.Value);

        foreach (var p in spec.Parameters)
        {
            foreach (var j in TestNets.Probe(p.ElementCount, 5))
            {
                var w = weights.Clone();
                var theta = w[p.Index][j];
                w[p.Index][j] = (float)(theta + TestNets.Epsilon);
                var plus = TestNets.Objective(w, batch, objective);
                w[p.Index][j] = (float)(theta - TestNets.Epsilon);
                var minus = TestNets.Objective(w, batch, objective);
                var fd = (plus - minus) / (2 * TestNets.Epsilon);
                var analytic = g.ParameterGradients[p.Index][j];
                Assert.True(Math.Abs(analytic - fd) <= 1e-8 + (1e-6 * Math.Abs(fd)), $"{net}/{objective} {p.Name}[{j}]: analytic {analytic:R} vs FD {fd:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_InputGradient_MatchesFiniteDifferences(string net, Objective objective)
    {
        var spec = TestNets.ByName(net);
        var weights = TestNets.Weights(spec, 12);
        var batch = TestNets.RandomBatch(spec, 3, 6);
        using var e = TestNets.Managed.Compile(weights, TestNets.F64);
        var g = e.Backward(batch, objective, inputGradient: true);
        Assert.NotNull(g.InputGradient);
        Assert.Equal(batch.Images.Length, g.InputGradient.Length);
        foreach (var j in TestNets.Probe(batch.Images.Length, 12))
        {
            var x = (float[])batch.Images.Clone();
            x[j] = (float)(batch.Images[j] + TestNets.Epsilon);
            var plus = TestNets.Objective(weights, With(batch, x), objective);
            x[j] = (float)(batch.Images[j] - TestNets.Epsilon);
            var minus = TestNets.Objective(weights, With(batch, x), objective);
            var fd = (plus - minus) / (2 * TestNets.Epsilon);
            Assert.True(Math.Abs(g.InputGradient[j] - fd) <= 1e-8 + (1e-6 * Math.Abs(fd)), $"{net}/{objective} input[{j}]: {g.InputGradient[j]:R} vs FD {fd:R}");
        }
    }

    [Fact]
    public void Backward_WithoutInputGradient_ReturnsNull()
    {
        var spec = TestNets.ConvBnRelu();
        using var e = TestNets.Managed.Compile(TestNets.Weights(spec, 1), ExecutionOptions.Default);
        Assert.Null(e.Backward(TestNets.RandomBatch(spec, 2, 1), Objective.CrossEntropy).InputGradient);
    }

    [Fact]
    public void Backward_ZeroEdge_GivesExactlyZeroGradientToDeadConv()
    {
        var spec = TestNets.AddZero();
        using var e = TestNets.Managed.Compile(TestNets.Weights(spec, 2), ExecutionOptions.Default);
        var g = e.Backward(TestNets.RandomBatch(spec, 2, 2), Objective.CrossEntropy);
        var dead = spec.FindParameter("dead.weight")!;
        Assert.All(g.ParameterGradients[dead.Index], v => Assert.Equal(0.0, v));
        Assert.Contains(g.ParameterGradients[spec.FindParameter("c2.weight")!.Index], v => v != 0);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_Float32_AgreesWithFloat64(string net, Objective objective)
    {
        var spec = TestNets.ByName(net);
        var weights = TestNets.Weights(spec, 13);
        var batch = TestNets.RandomBatch(spec, 4, 7);
        using var e64 = TestNets.Managed.Compile(weights, TestNets.F64);
        using var e32 = TestNets.Managed.Compile(weights, ExecutionOptions.Default);
        var g64 = e64.Backward(batch, objective, inputGradient: true);
        var g32 = e32.Backward(batch, objective, inputGradient: true);
        Assert.Equal(g64.Value, g32.Value, 1e-5 * Math.Max(1, Math.Abs(g64.Value)));
        // Biases feeding a BatchNorm have an exactly-zero true gradient, so compare against the network's gradient scale.
        var scale = g64.ParameterGradients.SelectMany(a => a).Max(Math.Abs);
        for (var p = 0; p < spec.Parameters.Count; p++)
        {
            AssertClose(g64.ParameterGradients[p], g32.ParameterGradients[p], 1e-4, spec.Parameters[p].Name, scale);
        }

        AssertClose(g64.InputGradient!, g32.InputGradient!, 1e-4, "input", Math.Max(scale, g64.InputGradient!.Max(Math.Abs)));
    }

    internal static void AssertClose(double[] expected, double[] actual, double relative, string what, double? scaleOverride = null)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = scaleOverride ?? expected.Select(Math.Abs).DefaultIfEmpty(0).Max();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * Math.Max(scale, 1e-30), $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (scale {scale:R})");
        }
    }

    private static Batch With(Batch b, float[] x) => new(x, b.Labels, b.Count, b.Channels, b.Height, b.Width);
}
