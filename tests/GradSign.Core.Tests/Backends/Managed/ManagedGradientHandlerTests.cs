using GradSign.Backends.Execution;
using GradSign.Backends;

namespace GradSign.Tests.Backends.Managed;

/// <summary>The streaming <see cref="INetworkExecutor.Backward(Batch, Objective, ParameterGradientHandler)"/>
/// delivers exactly what the array-returning pass returns, every parameter once and in spec order.</summary>
public sealed class ManagedGradientHandlerTests
{
    public static TheoryData<string, Precision, Objective> Cases()
    {
        var data = new TheoryData<string, Precision, Objective>();
        foreach (var (name, _) in TestNets.All())
        {
            data.Add(name, Precision.Float32, Objective.CrossEntropy);
            data.Add(name, Precision.Float64, Objective.SumOfLogits);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Handler_EqualsReturnedGradients(string net, Precision precision, Objective objective)
    {
        var spec = TestNets.ByName(net);
        var weights = TestNets.Weights(spec, 41);
        var batch = TestNets.RandomBatch(spec, 4, 42);
        var options = new ExecutionOptions { Precision = precision };
        using var returning = TestNets.Managed.Compile(weights, options);
        var expected = returning.Backward(batch, objective);
        using var streaming = TestNets.Managed.Compile(weights, options);
        var seen = new List<int>();
        var value = streaming.Backward(batch, objective, (p, gradient) =>
        {
            seen.Add(p);
            Assert.True(gradient.SequenceEqual(expected.ParameterGradients[p]), $"parameter {p}");
        });
        Assert.Equal(expected.Value, value);
        Assert.Equal(Enumerable.Range(0, spec.Parameters.Count), seen);
    }

    /// <summary>A subset (every other parameter, given in reverse) gets exactly its gradients, in spec order, on the
    /// managed backend and through the seam's default implementation.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Handler_Subset_DeliversExactlyThoseGradients(string net, Precision precision, Objective objective)
    {
        var spec = TestNets.ByName(net);
        var weights = TestNets.Weights(spec, 43);
        var batch = TestNets.RandomBatch(spec, 3, 44);
        var options = new ExecutionOptions { Precision = precision };
        var subset = Enumerable.Range(0, spec.Parameters.Count).Where(p => p % 2 == 1).Reverse().ToArray();
        using var e = TestNets.Managed.Compile(weights, options);
        var expected = e.Backward(batch, objective);
        foreach (var executor in new[] { e, new DefaultsOnlyExecutor(e) })
        {
            var seen = new List<int>();
            executor.Backward(batch, objective, (p, gradient) =>
            {
                seen.Add(p);
                Assert.True(gradient.SequenceEqual(expected.ParameterGradients[p]), $"parameter {p}");
            }, subset);
            Assert.Equal(subset.Order(), seen);
        }
    }

    [Fact]
    public void Handler_SubsetOutOfRange_Throws()
    {
        var spec = TestNets.ConvBnRelu();
        using var e = TestNets.Managed.Compile(TestNets.Weights(spec, 1), ExecutionOptions.Default);
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Backward(TestNets.RandomBatch(spec, 2, 1), Objective.SumOfLogits, (_, _) => { }, [spec.Parameters.Count]));
    }

    [Fact]
    public void Handler_Null_Throws()
    {
        var spec = TestNets.ConvBnRelu();
        using var e = TestNets.Managed.Compile(TestNets.Weights(spec, 1), ExecutionOptions.Default);
        Assert.Throws<ArgumentNullException>(() => e.Backward(TestNets.RandomBatch(spec, 2, 1), Objective.SumOfLogits, (ParameterGradientHandler)null!));
    }
}
