using GradSign.Search;

namespace GradSign.Tests.Search;

public class BohbTests
{
    private static readonly Dictionary<int, double> Additive = ToyProblems.AdditiveSignal(6, 5);

    /// <summary>Three fidelities of lengths 1, 3, 9 (η apart): low fidelities are the additive signal plus shrinking noise.</summary>
    private static MultiFidelityLookupEvaluator<int> ThreeFidelities()
    {
        var noise = ToyProblems.HashedSignal(15625);
        Dictionary<int, double> Level(double weight) => Additive.ToDictionary(p => p.Key, p => p.Value + (weight * (noise[p.Key] - 50)));
        return new([(1.0, Level(0.4)), (3.0, Level(0.1)), (9.0, Additive)]);
    }

    [Fact]
    public void Search_ThreeFidelities_FollowsHyperbandScheduleAndChargesEveryTraining()
    {
        // η = 3 over lengths 1, 3, 9: s = 2 trains 9 @1, 3 @3, 1 @9 (27 units); s = 1: 5 @3, 1 @9 (24); s = 0: 3 @9 (27).
        int[] cycle = [.. Enumerable.Repeat(0, 9), 1, 1, 1, 2, 1, 1, 1, 1, 1, 2, 2, 2, 2];
        var evaluator = ThreeFidelities();
        var result = new Bohb<int>().Search(ToyProblems.Grid(), evaluator, 156, new SearchRandom(4));
        Assert.Equal([.. cycle, .. cycle], result.History.Select(h => h.Fidelity));
        Assert.Equal(156, result.BudgetSpent, 9);
        Assert.Equal([18, 16, 10], Enumerable.Range(0, 3).Select(evaluator.CallsAt));

        // One unit more starts a third cycle with one 1-unit training; the next one no longer fits, so the search ends.
        var longer = new Bohb<int>().Search(ToyProblems.Grid(), ThreeFidelities(), 157, new SearchRandom(4));
        Assert.Equal(result.History, longer.History.Take(result.History.Count));
        Assert.Equal(result.History.Count + 1, longer.Evaluations);
        Assert.Equal(157, longer.BudgetSpent, 9);
    }

    [Fact]
    public void Search_Promotions_AreTheBestOfThePreviousRungInProposalOrder()
    {
        var result = new Bohb<int>().Search(ToyProblems.Grid(), ThreeFidelities(), 27, new SearchRandom(8));
        var rung0 = result.History.Take(9).ToArray();
        var rung1 = result.History.Skip(9).Take(3).ToArray();
        var top3 = rung0.Select((h, i) => (h, i)).OrderByDescending(p => p.h.Signal).ThenBy(p => p.i).Take(3).OrderBy(p => p.i).Select(p => p.h.Arch);
        Assert.Equal(top3, rung1.Select(h => h.Arch));
        Assert.Equal(rung1.MaxBy(h => h.Signal).Arch, result.History[12].Arch);
        Assert.Equal(2, result.History[12].Fidelity);
        // The incumbent is the only configuration trained at the highest fidelity, whatever the lower rungs measured.
        Assert.Equal(result.History[12].Arch, result.Best);
        Assert.Equal(2, result.BestFidelity);
    }

    [Fact]
    public void Search_BudgetAccounting_NeverOverrunsAndStopsAtTheFirstTrainingThatDoesNotFit()
    {
        foreach (var budget in new[] { 1, 5, 13, 40, 77, 100, 250 })
        {
            var evaluator = ThreeFidelities();
            var result = new Bohb<int>().Search(ToyProblems.Grid(), evaluator, budget, new SearchRandom((ulong)budget));
            var charged = result.History.Sum(h => evaluator.Fidelities[h.Fidelity] / evaluator.Fidelities[0]);
            Assert.Equal(charged, result.BudgetSpent, 9);
            Assert.True(result.BudgetSpent <= budget + 1e-9, $"budget {budget}: spent {result.BudgetSpent}");
            Assert.Equal(result.Evaluations, evaluator.Calls);

            // Replaying the schedule: the training after the last one would have cost more than what is left.
            var next = NextFidelity(result.History.Select(h => h.Fidelity).ToArray());
            Assert.True(result.BudgetSpent + evaluator.Fidelities[next] > budget + 1e-9, $"budget {budget}: fidelity {next} would still fit");
        }
    }

    /// <summary>The fidelity of the training that follows <paramref name="done"/> in the 1-3-9 schedule.</summary>
    private static int NextFidelity(int[] done)
    {
        int[] cycle = [.. Enumerable.Repeat(0, 9), 1, 1, 1, 2, 1, 1, 1, 1, 1, 2, 2, 2, 2];
        return cycle[done.Length % cycle.Length];
    }

    [Fact]
    public void Search_SingleFidelity_TrainsExactlyTheBudget()
    {
        var evaluator = new LookupEvaluator<int>(Additive);
        var result = new Bohb<int>().Search(ToyProblems.Grid(), evaluator, 37, new SearchRandom(2));
        Assert.Equal(37, evaluator.Calls);
        Assert.Equal(37, result.BudgetSpent);
        Assert.All(result.History, h => Assert.Equal(0, h.Fidelity));
        Assert.Equal(result.History.Max(h => h.Signal), result.BestSignal);
    }

    [Fact]
    public void Search_SameSeed_ReproducesTheRun()
    {
        SearchResult<int> Run(ulong seed) => new Bohb<int>(new BohbOptions(Samples: 8, RandomFraction: 0.2)).Search(
            ToyProblems.Grid(), ThreeFidelities(), 300, new SearchRandom(seed));
        var a = Run(42);
        Assert.Equal(a.History, Run(42).History);
        Assert.NotEqual(a.History, Run(43).History);
    }

    [Fact]
    public void Search_AdditiveToyProblem_BeatsRandomSearchOnAverage()
    {
        // A signal that is a sum of per-edge terms is what BOHB's product-kernel densities can learn; random search cannot.
        const int runs = 100;
        const int budget = 80;
        double Mean(ISearcher<int> searcher) => Enumerable.Range(0, runs).Average(r =>
            searcher.Search(ToyProblems.Grid(), new LookupEvaluator<int>(Additive), budget, new SearchRandom(SearchRandom.RunSeed(3, r))).BestSignal);
        var random = Mean(new RandomSearch<int>());
        var bohb = Mean(new Bohb<int>());
        Assert.True(bohb > random + 2.0, $"bohb {bohb:F2} vs random search {random:F2}");
    }

    [Fact]
    public void Search_MoveProposal_ScoresCandidatesForEveryNewConfigurationOnly()
    {
        // G-BOHB: each proposal is the best-scored of K random cells; promotions are not proposals.
        var assist = new ProxyAssist<int>(ToyProblems.Oracle(Additive)) { Candidates = 10 };
        var result = new Bohb<int>().Search(ToyProblems.Grid(), ThreeFidelities(), 78, new SearchRandom(1), assist);
        // One cycle: 9 + 5 + 3 new configurations.
        Assert.Equal(17 * 10, result.ProxyCalls);
        Assert.Equal(17 * 10 * 0.5, result.ProxySeconds, 9);
    }

    [Fact]
    public void Search_Warmup_ProposesTheBestScoredCellsFirst()
    {
        var space = new EdgeOperationSpace(6, 5, Enumerable.Range(0, 3000));
        var assist = new ProxyAssist<int>(ToyProblems.Oracle(Additive)) { Candidates = 1, Warmup = 3000, WarmupTake = 4 };
        var result = new Bohb<int>().Search(space, ThreeFidelities(), 27, new SearchRandom(6), assist);
        var top = Additive.Where(p => p.Key < 3000).OrderByDescending(p => p.Value).Take(4).Select(p => p.Key);
        Assert.Equal(top, result.History.Take(4).Select(h => h.Arch));
        Assert.Equal(3000, result.ProxyCalls);
        Assert.All(result.History, h => Assert.True(space.Contains(h.Arch)));
    }

    [Fact]
    public void Search_RestrictedSpace_ModelProposalsStayInside()
    {
        var space = new EdgeOperationSpace(6, 5, Enumerable.Range(0, 15625).Where(c => c % 7 == 0));
        var result = new Bohb<int>(new BohbOptions(Samples: 16)).Search(space, new LookupEvaluator<int>(Additive), 150, new SearchRandom(2));
        Assert.All(result.History, h => Assert.True(space.Contains(h.Arch), $"{h.Arch}"));
    }

    [Fact]
    public void Search_NonEdgeSpaceOrBadOptions_Throw()
    {
        Assert.Throws<ArgumentException>(() => new Bohb<int>().Search(new OpaqueGrid(), new LookupEvaluator<int>(Additive), 5, new SearchRandom(1)));
        Assert.Equal("Eta", Assert.Throws<ArgumentOutOfRangeException>(() => new Bohb<int>(new BohbOptions(Eta: 1))).ParamName);
        Assert.Equal("Samples", Assert.Throws<ArgumentOutOfRangeException>(() => new BohbOptions(Samples: 0).Validate()).ParamName);
        Assert.Equal("RandomFraction", Assert.Throws<ArgumentOutOfRangeException>(() => new BohbOptions(RandomFraction: 1.5).Validate()).ParamName);
        Assert.Equal("TopPercent", Assert.Throws<ArgumentOutOfRangeException>(() => new BohbOptions(TopPercent: 100).Validate()).ParamName);
        Assert.Equal("MinPointsInModel", Assert.Throws<ArgumentOutOfRangeException>(() => new BohbOptions(MinPointsInModel: 0).Validate()).ParamName);
        Assert.Equal("MinBandwidth", Assert.Throws<ArgumentOutOfRangeException>(() => new BohbOptions(MinBandwidth: 1).Validate()).ParamName);
        Assert.Throws<ArgumentException>(() => new MultiFidelityLookupEvaluator<int>([(3.0, Additive), (1.0, Additive)]));
    }

    /// <summary>A grid that hides its per-edge structure.</summary>
    private sealed class OpaqueGrid : ISearchSpace<int>
    {
        private readonly EdgeOperationSpace _inner = ToyProblems.Grid();

        public string Name => "opaque";

        public int Count => _inner.Count;

        public bool Contains(int arch) => _inner.Contains(arch);

        public int Sample(SearchRandom random) => _inner.Sample(random);

        public int Mutate(int arch, SearchRandom random) => _inner.Mutate(arch, random);

        public IReadOnlyList<int> Neighbours(int arch) => _inner.Neighbours(arch);

        public string Encode(int arch) => _inner.Encode(arch);

        public int Decode(string text) => _inner.Decode(text);
    }
}
