using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Cli.Fixtures;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Backends.Managed;

/// <summary>
/// The managed backend's fused sign votes (float32 gradients voted on every core) equal the seam's default
/// implementation, which streams <see cref="INetworkExecutor.PerSampleGradients"/> one sample at a time.
/// </summary>
public sealed class ManagedSignVoteTests
{
    public static TheoryData<string, Precision, int> Cases()
    {
        var data = new TheoryData<string, Precision, int>();
        foreach (var (name, _) in TestNets.All())
        {
            data.Add(name, Precision.Float32, 2);
            data.Add(name, Precision.Float64, 3);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fused_EqualsStreamedDefault(string net, Precision precision, int threads)
    {
        var spec = TestNets.ByName(net);
        var weights = TestNets.Weights(spec, 31);
        var batch = TestNets.RandomBatch(spec, 7, 32);
        var parameters = Enumerable.Range(0, spec.Parameters.Count).Reverse().ToArray();
        using var e = TestNets.Managed.Compile(weights, new ExecutionOptions { Precision = precision, MaxDegreeOfParallelism = threads });
        var fused = Votes(e, batch, parameters);
        var streamed = Votes(new DefaultsOnlyExecutor(e), batch, parameters);
        Assert.Equal(parameters, fused.Select(v => v.Parameter));
        for (var i = 0; i < parameters.Length; i++)
        {
            Assert.Equal(parameters[i], streamed[i].Parameter);
            Assert.Equal(streamed[i].Votes, fused[i].Votes);
            Assert.Equal(streamed[i].NanFlags.Select(f => f != 0), fused[i].NanFlags.Select(f => f != 0));
        }
    }

    [Fact]
    public void Fused_Nb101Fixture_NonTrivialVotes_IndependentOfThreads()
    {
        var fixture = OracleFixture.Load(Path.Combine(SharedPaths.FixturesExt, "nb101_d2_skip_one_vertex"));
        var parameters = Enumerable.Range(0, fixture.Weights.Spec.Parameters.Count).ToArray();
        List<(int Parameter, int[] Votes, int[] NanFlags)> Run(int threads)
        {
            using var e = TestNets.Managed.Compile(fixture.Weights, ExecutionOptions.Default with { MaxDegreeOfParallelism = threads });
            return Votes(e, fixture.Batch, parameters);
        }

        var one = Run(1);
        var four = Run(4);
        Assert.Contains(one, v => v.Votes.Any(c => Math.Abs(c) > 1));
        for (var i = 0; i < one.Count; i++)
        {
            Assert.Equal(one[i].Votes, four[i].Votes);
            Assert.Equal(one[i].NanFlags, four[i].NanFlags);
        }
    }

    [Fact]
    public void Fused_Cancelled_Throws()
    {
        var spec = TestNets.ConvBnRelu();
        using var e = TestNets.Managed.Compile(TestNets.Weights(spec, 1), ExecutionOptions.Default);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => e.PerSampleGradientSignVotes(TestNets.RandomBatch(spec, 3, 1), [0], (_, _, _) => { }, cts.Token));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1000)]
    public void Fused_ParameterOutOfRange_ThrowsNamingIt(int parameter)
    {
        var spec = TestNets.ConvBnRelu();
        using var e = TestNets.Managed.Compile(TestNets.Weights(spec, 1), ExecutionOptions.Default);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => e.PerSampleGradientSignVotes(TestNets.RandomBatch(spec, 2, 1), [parameter], (_, _, _) => { }));
        Assert.Contains(parameter.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
    }

    [Fact]
    public void Fused_ParameterTwice_Throws()
    {
        var spec = TestNets.ConvBnRelu();
        using var e = TestNets.Managed.Compile(TestNets.Weights(spec, 1), ExecutionOptions.Default);
        Assert.Throws<ArgumentException>(() => e.PerSampleGradientSignVotes(TestNets.RandomBatch(spec, 2, 1), [0, 0], (_, _, _) => { }));
    }

    private static List<(int Parameter, int[] Votes, int[] NanFlags)> Votes(INetworkExecutor e, Batch batch, int[] parameters)
    {
        var all = new List<(int, int[], int[])>();
        e.PerSampleGradientSignVotes(batch, parameters, (p, votes, nanFlags) => all.Add((p, votes.ToArray(), nanFlags.ToArray())));
        return all;
    }
}
