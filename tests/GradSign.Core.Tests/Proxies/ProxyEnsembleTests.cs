using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Backends.Managed;
using GradSign.Data;
using GradSign.Networks;
using GradSign.Proxies;
using GradSign.Proxies.Evaluation;
using GradSign.SearchSpaces.NasBench201;
using GradSign.Statistics;

namespace GradSign.Tests.Proxies;

public sealed class ProxyEnsembleTests
{
    private static readonly NasBench201NetworkOptions s_small = new(4, 1, 10, 8, NasBench201Variant.ZeroCostNas);

    [Fact]
    public void ComputeMembers_EachMember_EqualsItsOwnCompute()
    {
        var (weights, batch) = Network("|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_3x3~1|skip_connect~2|", 5);
        IZeroCostProxy[] members = [new GradSignProxy(), new SnipProxy(), new JacobCovProxy(), new SynFlowProxy(), new GradNormProxy(), new FisherProxy(), new NaswotProxy(), new GraspProxy(), new ZicoProxy(), new ZenScoreProxy(), new ParamsProxy()];
        var context = new ProxyContext(new ManagedBackend());
        var results = new ProxyEnsemble("all", RankAggregationMethod.MeanRank, members).ComputeMembers(weights, batch, context);

        Assert.Equal(members.Select(m => m.Id), results.Select(r => r.ProxyId));
        for (var i = 0; i < members.Length; i++)
        {
            // Shared passes compute the same numbers as separate ones (the managed backend is deterministic).
            var alone = members[i].Compute(weights, batch, context);
            Assert.Equal(alone.Value, results[i].Value);
            Assert.Equal(alone.PerLayer, results[i].PerLayer);
        }
    }

    [Fact]
    public void ComputeMembers_SharesCompiledNetworksAndOneGradientPass()
    {
        var (weights, batch) = Network("|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|skip_connect~0|none~1|nor_conv_3x3~2|", 6);
        var backend = new CountingBackend(new ManagedBackend());
        var ensemble = new ProxyEnsemble("e", RankAggregationMethod.MeanRank, [new SnipProxy(), new GradNormProxy(), new JacobCovProxy(), new SynFlowProxy(), new NaswotProxy()]);
        ensemble.ComputeMembers(weights, batch, new ProxyContext(backend));

        // Two option sets (SynFlow's float64 |θ| network, and the rest), one streaming gradient pass for SNIP + grad_norm
        // (SynFlow's is the other), one input-gradient pass for jacob_cov.
        Assert.Equal(2, backend.Compiles);
        Assert.Equal(2, backend.StreamingBackwards);
        Assert.Equal(1, backend.ArrayBackwards);
    }

    [Fact]
    public void ComputeMembers_GradSignSumAndMean_ShareOneVotePass()
    {
        var (weights, batch) = Network("|nor_conv_3x3~0|+|none~0|nor_conv_1x1~1|+|skip_connect~0|none~1|nor_conv_3x3~2|", 7);
        var backend = new CountingBackend(new ManagedBackend());
        GradSignProxy sum = new(), mean = new(new GradSignOptions { Aggregation = GradSignAggregation.Mean });
        var results = new ProxyEnsemble("e", RankAggregationMethod.MeanRank, [mean, new NaswotProxy(), sum]).ComputeMembers(weights, batch, new ProxyContext(backend));

        Assert.Equal(1, backend.VotePasses);
        var context = new ProxyContext(new ManagedBackend());
        foreach (var (proxy, result) in new[] { (mean, results[0]), (sum, results[2]) })
        {
            var alone = proxy.Compute(weights, batch, context);
            Assert.Equal(alone.ProxyId, result.ProxyId);
            Assert.Equal(alone.Value, result.Value);
            Assert.Equal(alone.PerLayer, result.PerLayer);
        }

        Assert.NotEqual(results[0].Value, results[2].Value);
        Assert.NotSame(results[0].PerLayer, results[2].PerLayer);
    }

    [Fact]
    public void Compute_ValueIsNaN_MembersCarryTheScores()
    {
        var (weights, batch) = Network("|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|skip_connect~0|none~1|nor_conv_1x1~2|", 7);
        var vote = ProxyEnsemble.Vote();
        var score = vote.Compute(weights, batch, new ProxyContext(new ManagedBackend()));
        Assert.Equal(ProxyIds.Vote, score.ProxyId);
        Assert.True(double.IsNaN(score.Value));
        Assert.Equal([ProxyIds.SynFlow, ProxyIds.JacobCov, ProxyIds.Snip], score.Members!.Select(m => m.ProxyId));
        Assert.All(score.Members!, m => Assert.True(double.IsFinite(m.Value)));
    }

    [Fact]
    public void VoteAndLogRank_ZeroCostNasMembers_AndTheirAggregations()
    {
        var vote = ProxyEnsemble.Vote();
        var log = ProxyEnsemble.LogRankVote();
        Assert.Equal(["synflow", "jacob_cov", "snip"], vote.Members.Select(m => m.Id));
        Assert.Equal(vote.Members.Select(m => m.Id), log.Members.Select(m => m.Id));
        Assert.Equal(RankAggregationMethod.MeanRank, vote.Aggregation);
        Assert.Equal(RankAggregationMethod.LogRank, log.Aggregation);

        // Requirements are the union: snip needs labels, jacob_cov input gradients, SynFlow float64.
        Assert.True(vote.Requirements.NeedsLabels);
        Assert.Equal(BackendCapabilities.Float64 | BackendCapabilities.InputGradients, vote.Requirements.Capabilities);

        double[][] scores = [[1, 2, 3, double.NaN], [3, 1, 2, 0], [2, 3, 1, 5]];
        Assert.Equal(RankAggregation.Aggregate(RankAggregationMethod.MeanRank, scores, NanPolicy.Omit), vote.Aggregate(scores));
        Assert.Equal(RankAggregation.Aggregate(RankAggregationMethod.LogRank, scores, NanPolicy.Omit), log.Aggregate(scores));
        Assert.Throws<ArgumentException>(() => vote.Aggregate(scores[..2]));
    }

    [Fact]
    public void Constructor_RejectsEmptyRepeatedAndNestedMembers()
    {
        Assert.Throws<ArgumentException>(() => new ProxyEnsemble("e", RankAggregationMethod.MeanRank, []));
        Assert.Throws<ArgumentException>(() => new ProxyEnsemble("e", RankAggregationMethod.MeanRank, [new SnipProxy(), new SnipProxy()]));
        Assert.Throws<ArgumentException>(() => new ProxyEnsemble("e", RankAggregationMethod.MeanRank, [ProxyEnsemble.Vote()]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyEnsemble("e", (RankAggregationMethod)5, [new SnipProxy()]));
    }

    [Fact]
    public void Runner_SharesPassesAsAnEnsembleDoes_ScoresEqualEachProxysOwnCompute()
    {
        var (weights, batch) = Network("|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|skip_connect~0|none~1|nor_conv_3x3~2|", 9);
        IZeroCostProxy[] proxies = [new GradSignProxy(), new SynFlowProxy(), new SnipProxy(), new NaswotProxy(), new GradNormProxy(), new ParamsProxy()];
        var backend = new CountingBackend(new ManagedBackend());
        var reports = new List<ProxyProgressInfo>();
        var scores = new ProxyRunner(new ProxyContext(backend))
            .Run([ArchitectureInput.FromWeights("a", weights)], proxies, batch, progress: new Reports(reports))
            .Single();

        // Two compiled networks (SynFlow's float64 |θ| one and the rest), one gradient pass for SNIP + grad_norm; results
        // in the listed order, progress once per proxy as each finishes.
        Assert.Equal(2, backend.Compiles);
        Assert.Equal(2, backend.StreamingBackwards);
        Assert.Equal(proxies.Select(p => p.Id), scores.Results.Select(r => r.ProxyId));
        Assert.Equal(proxies.Select(p => p.Id).Order(), reports.Select(r => r.ProxyId).Order());
        Assert.Equal(Enumerable.Range(1, proxies.Length), reports.Select(r => r.ProxiesDone));
        var context = new ProxyContext(new ManagedBackend());
        for (var i = 0; i < proxies.Length; i++)
        {
            Assert.Equal(proxies[i].Compute(weights, batch, context).Value, scores.Results[i].Value);
        }
    }

    [Fact]
    public void Runner_MemberThrows_EndsTheRunWithItsException()
    {
        // A failure is an error, never a NaN score: a member's exception ends the run like any proxy's.
        var (weights, batch) = Network("|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|skip_connect~0|none~1|nor_conv_1x1~2|", 8);
        var ensemble = new ProxyEnsemble("e", RankAggregationMethod.MeanRank, [new SnipProxy(), new ThrowingProxy(), new NaswotProxy()]);
        var runner = new ProxyRunner(new ProxyContext(new ManagedBackend()));
        Assert.Throws<InvalidOperationException>(() => runner.Run([ArchitectureInput.FromWeights("a", weights)], [ensemble], batch).Single());
    }

    private static (NetworkWeights Weights, Batch Batch) Network(string arch, ulong seed)
    {
        var spec = NasBench201Network.Build(arch, s_small);
        var rng = new GradSign.Internal.SplitMix64(seed);
        var images = Enumerable.Range(0, 4 * 3 * 8 * 8).Select(_ => (float)rng.NextGaussian()).ToArray();
        var labels = Enumerable.Range(0, 4).Select(_ => rng.NextInt(10)).ToArray();
        return (NetworkWeights.Initialize(spec, seed), new Batch(images, labels, 4, 3, 8, 8));
    }

    private sealed class Reports(List<ProxyProgressInfo> list) : IProgress<ProxyProgressInfo>
    {
        public void Report(ProxyProgressInfo value) => list.Add(value);
    }

    private sealed class ThrowingProxy : IZeroCostProxy
    {
        public string Id => "throws";

        public ProxyRequirements Requirements { get; } = new(false, BackendCapabilities.None);

        public ProxyScore Compute(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("boom");
    }

    /// <summary>Counts compilations and backward passes of an inner backend.</summary>
    private sealed class CountingBackend(ITensorBackend inner) : ITensorBackend
    {
        public int Compiles { get; private set; }

        public int StreamingBackwards { get; set; }

        public int ArrayBackwards { get; set; }

        public int VotePasses { get; set; }

        public string Name => inner.Name;

        public BackendCapabilities Capabilities => inner.Capabilities;

        public INetworkExecutor Compile(NetworkWeights weights, ExecutionOptions options)
        {
            Compiles++;
            return new Executor(this, inner.Compile(weights, options));
        }

        private sealed class Executor(CountingBackend owner, INetworkExecutor e) : INetworkExecutor
        {
            public NetworkSpec Spec => e.Spec;

            public ExecutionOptions Options => e.Options;

            public void Dispose() => e.Dispose();

            public void Forward(Batch batch, Span<double> logits) => e.Forward(batch, logits);

            public GradientResult Backward(Batch batch, Objective objective, bool inputGradient = false)
            {
                owner.ArrayBackwards++;
                return e.Backward(batch, objective, inputGradient);
            }

            public double Backward(Batch batch, Objective objective, ParameterGradientHandler handler, IReadOnlyList<int>? parameters = null)
            {
                owner.StreamingBackwards++;
                return e.Backward(batch, objective, handler, parameters);
            }

            public void PerSampleGradients(Batch batch, PerSampleGradientHandler handler, CancellationToken cancellationToken = default) => e.PerSampleGradients(batch, handler, cancellationToken);

            public void PerSampleGradientSignVotes(Batch batch, IReadOnlyList<int> parameters, SignVoteHandler handler, CancellationToken cancellationToken = default)
            {
                owner.VotePasses++;
                e.PerSampleGradientSignVotes(batch, parameters, handler, cancellationToken);
            }

            public double[][] HessianVectorProduct(Batch batch, Objective objective, IReadOnlyList<double[]?> vector) => e.HessianVectorProduct(batch, objective, vector);

            public void ReluCodes(Batch batch, ReluCodeHandler handler) => e.ReluCodes(batch, handler);

            public IReadOnlyList<LayerSaliency> OutputSaliencies(Batch batch, Objective objective) => e.OutputSaliencies(batch, objective);

            public void LayerOutputs(Batch batch, IReadOnlyList<int> layers, LayerOutputHandler handler) => e.LayerOutputs(batch, layers, handler);
        }
    }
}
