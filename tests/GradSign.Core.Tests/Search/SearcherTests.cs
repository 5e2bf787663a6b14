using GradSign.Search;

namespace GradSign.Tests.Search;

public class SearcherTests
{
    private static readonly Dictionary<int, double> Signal = ToyProblems.HashedSignal(15625);

    public static TheoryData<string, bool, int> Configurations()
    {
        var data = new TheoryData<string, bool, int>();
        foreach (var algo in new[] { "rs", "rea", "reinforce", "bohb" })
        {
            data.Add(algo, false, 0);
            data.Add(algo, true, 0);
            data.Add(algo, true, 300);
            data.Add(algo, false, 300);
        }

        return data;
    }

    private static ISearcher<int> Create(string algo) => algo switch
    {
        "rs" => new RandomSearch<int>(),
        "rea" => new RegularizedEvolution<int>(),
        "reinforce" => new Reinforce<int>(),
        "bohb" => new Bohb<int>(new BohbOptions(RandomFraction: 0.25)),
        _ => throw new ArgumentOutOfRangeException(nameof(algo)),
    };

    private static ProxyAssist<int>? Assist(bool moves, int warmup)
        => moves || warmup > 0 ? new ProxyAssist<int>(ToyProblems.Oracle(Signal)) { Candidates = moves ? 10 : 1, Warmup = warmup } : null;

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Search_AnyConfiguration_CallsTheEvaluatorExactlyBudgetTimes(string algo, bool moves, int warmup)
    {
        foreach (var budget in new[] { 1, 7, 10, 11, 100 })
        {
            var evaluator = new LookupEvaluator<int>(Signal);
            var result = Create(algo).Search(ToyProblems.Grid(), evaluator, budget, new SearchRandom(9), Assist(moves, warmup));
            Assert.Equal(budget, evaluator.Calls);
            Assert.Equal(budget, result.Evaluations);
            Assert.Equal(result.History.Max(h => h.Signal), result.BestSignal);
            Assert.Equal(result.History.First(h => h.Signal == result.BestSignal).Arch, result.Best);
        }
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Search_SameSeed_ReproducesTheRunAndAnotherSeedDoesNot(string algo, bool moves, int warmup)
    {
        SearchResult<int> Run(ulong seed) => Create(algo).Search(ToyProblems.Grid(), new LookupEvaluator<int>(Signal), 60, new SearchRandom(seed), Assist(moves, warmup));
        var a = Run(42);
        var b = Run(42);
        var c = Run(43);
        Assert.Equal(a.History, b.History);
        Assert.Equal(a.ProxyCalls, b.ProxyCalls);
        Assert.NotEqual(a.History, c.History);
    }

    [Theory]
    [InlineData("rs", 100, 10, 100 * 10)]
    [InlineData("rea", 100, 10, (100 - 10) * 10)]
    [InlineData("reinforce", 100, 10, 100 * 10)]
    [InlineData("bohb", 100, 10, 100 * 10)]
    [InlineData("rs", 50, 1, 0)]
    public void Search_MoveProposal_ScoresCandidatesPerProposedMove(string algo, int budget, int candidates, int expectedCalls)
    {
        var assist = new ProxyAssist<int>(ToyProblems.Oracle(Signal)) { Candidates = candidates };
        var result = Create(algo).Search(ToyProblems.Grid(), new LookupEvaluator<int>(Signal), budget, new SearchRandom(1), assist);
        Assert.Equal(expectedCalls, result.ProxyCalls);
        Assert.Equal(expectedCalls * 0.5, result.ProxySeconds, 9);
    }

    [Fact]
    public void RandomSearch_OracleProxyMoveProposal_BeatsVanillaOnAverage()
    {
        // A perfect proxy makes each trained cell the best of 10 random ones, so the best-found signal must rise.
        const int runs = 200;
        const int budget = 20;
        double Mean(ProxyAssist<int>? assist) => Enumerable.Range(0, runs).Average(r =>
            new RandomSearch<int>().Search(ToyProblems.Grid(), new LookupEvaluator<int>(Signal), budget, new SearchRandom(SearchRandom.RunSeed(7, r)), assist).BestSignal);
        var vanilla = Mean(null);
        var assisted = Mean(Assist(moves: true, warmup: 0));
        // Uniform signal on [0, 100): E[max of 20] ≈ 95.2, E[max of 200] ≈ 99.5.
        Assert.InRange(vanilla, 93.0, 97.0);
        Assert.True(assisted > vanilla + 2.0, $"assisted {assisted:F2} vs vanilla {vanilla:F2}");
    }

    [Fact]
    public void RandomSearch_OracleWarmupOverWholeSpace_TrainsTheGlobalBestFirst()
    {
        var space = new EdgeOperationSpace(6, 5, Enumerable.Range(0, 2000));
        var assist = new ProxyAssist<int>(ToyProblems.Oracle(Signal)) { Candidates = 1, Warmup = 5000 };
        var result = new RandomSearch<int>().Search(space, new LookupEvaluator<int>(Signal), 5, new SearchRandom(3), assist);
        var top = Signal.Where(p => p.Key < 2000).OrderByDescending(p => p.Value).Take(5).Select(p => p.Key);
        Assert.Equal(top, result.History.Select(h => h.Arch));
        Assert.Equal(2000, result.ProxyCalls);
    }

    [Fact]
    public void RegularizedEvolution_OracleWarmup_StartsFromTheBestScoredCells()
    {
        var assist = new ProxyAssist<int>(ToyProblems.Oracle(Signal)) { Candidates = 1, Warmup = 200 };
        var result = new RegularizedEvolution<int>(new RegularizedEvolutionOptions(Population: 10)).Search(
            ToyProblems.Grid(), new LookupEvaluator<int>(Signal), 30, new SearchRandom(5), assist);
        var initial = result.History.Take(10).Select(h => h.Signal).ToArray();
        Assert.Equal(initial.OrderDescending(), initial);
        Assert.Equal(200, result.ProxyCalls);
        // The 10 best of 200 uniform draws on [0, 100) all lie well above the median.
        Assert.All(initial, s => Assert.True(s > 80, $"{s}"));
    }

    [Fact]
    public void RegularizedEvolution_Children_AreSingleEdgeMutationsOfPopulationMembers()
    {
        var space = ToyProblems.Grid();
        var result = new RegularizedEvolution<int>(new RegularizedEvolutionOptions(Population: 5, SampleSize: 2)).Search(
            space, new LookupEvaluator<int>(Signal), 40, new SearchRandom(6));
        for (var i = 5; i < result.History.Count; i++)
        {
            // The parent is one of the 5 individuals alive just before child i (the 5 previous trainings).
            var child = result.History[i].Arch;
            Assert.Contains(result.History.Skip(i - 5).Take(5), p => ToyProblems.EdgesDiffering(space, p.Arch, child) == 1);
        }
    }

    [Fact]
    public void Reinforce_NonEdgeSpace_ThrowsArgumentException()
    {
        var space = new OpaqueSpace(ToyProblems.Grid());
        Assert.Throws<ArgumentException>(() => new Reinforce<int>().Search(space, new LookupEvaluator<int>(Signal), 5, new SearchRandom(1)));
    }

    [Fact]
    public void Search_BadBudgetOrAssist_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomSearch<int>().Search(ToyProblems.Grid(), new LookupEvaluator<int>(Signal), 0, new SearchRandom(1)));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyAssist<int>(ToyProblems.Oracle(Signal)) { Candidates = 0 });
        Assert.Equal("Candidates", ex.ParamName);
        Assert.Equal("Warmup", Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyAssist<int>(ToyProblems.Oracle(Signal)) { Warmup = -1 }).ParamName);
        Assert.Equal("WarmupTake", Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyAssist<int>(ToyProblems.Oracle(Signal)) { WarmupTake = 0 }).ParamName);
    }

    [Fact]
    public void Search_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => new RandomSearch<int>().Search(ToyProblems.Grid(), new LookupEvaluator<int>(Signal), 5, new SearchRandom(1), cancellationToken: cts.Token));
    }

    /// <summary>A space that hides its per-edge structure.</summary>
    private sealed class OpaqueSpace(EdgeOperationSpace inner) : ISearchSpace<int>
    {
        public string Name => "opaque";

        public int Count => inner.Count;

        public bool Contains(int arch) => inner.Contains(arch);

        public int Sample(SearchRandom random) => inner.Sample(random);

        public int Mutate(int arch, SearchRandom random) => inner.Mutate(arch, random);

        public IReadOnlyList<int> Neighbours(int arch) => inner.Neighbours(arch);

        public string Encode(int arch) => inner.Encode(arch);

        public int Decode(string text) => inner.Decode(text);
    }
}
