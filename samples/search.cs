#:project ../src/GradSign.Core/GradSign.Core.csproj
#:property PublishAot=false

// GradSign-assisted regularised evolution on NAS-Bench-201 (GradSign's G-REA): each mutation draws 10 candidate cells, a
// live GradSign score on a small network (C 8, N 1) and 8 CIFAR-10 images picks one, and only that one is "trained" (its
// 12-epoch accuracy looked up). Vanilla REA runs with the same seeds; runs are judged by their best cell's 200-epoch accuracy.
using GradSign.Backends.Managed;
using GradSign.Backends;
using GradSign.Data;
using GradSign.Networks;
using GradSign.Proxies;
using GradSign.Search;
using GradSign.SearchSpaces.NasBench201;
var data = DataFolder.Resolve();
var signal = NasBench201Table.LoadTwelveEpoch(data).Rows.ToDictionary(r => NasBench201Cell.Parse(r.Arch).Code, r => r["cifar10_valid_12ep"]);
var test = NasBench201Table.LoadDefault(data).Rows.ToDictionary(r => NasBench201Cell.Parse(r.Arch).Code, r => r.Cifar10Test);
var images = ImageDatasets.Load(data, DatasetKind.Cifar10, DatasetSplit.Train);
using var backend = new ManagedBackend(); // one buffer pool for every score of the search
var scorer = new GradSignScorer(backend, new BatchSampler(images, DatasetKind.Cifar10, new BatchOptions(BatchPipeline.Naswot, BatchSize: 8)).GetBatch(default));
foreach (var assist in new[] { null, new ProxyAssist<int>(scorer) })
{
    var runs = Enumerable.Range(0, 5).Select(run => new RegularizedEvolution<int>().Search(new EdgeOperationSpace(6, 5),
        new LookupEvaluator<int>(signal), budget: 50, new SearchRandom(SearchRandom.RunSeed(0, run)), assist)).ToList();
    Console.WriteLine($"{(assist is null ? "REA" : "GradSign-assisted REA"),-22} CIFAR-10 test accuracy of each run's best cell (%): "
        + $"{string.Join("  ", runs.Select(r => $"{test[r.Best]:F2}"))}   mean {runs.Average(r => test[r.Best]):F2}   proxy calls {runs.Sum(r => r.ProxyCalls)}");
}

sealed class GradSignScorer(ITensorBackend backend, Batch batch) : IProxyScorer<int>
{
    private readonly Dictionary<int, ProxyScore> _cache = [];
    public string Name => ProxyIds.GradSign;
    public ProxyScore Score(int code)
    {
        if (_cache.TryGetValue(code, out var cached)) return cached;
        var (started, cell) = (DateTime.UtcNow, NasBench201Cell.FromCode(code));
        var weights = NetworkWeights.Initialize(NasBench201Network.Build(cell, new NasBench201NetworkOptions(Channels: 8, CellsPerStage: 1)), seed: 42, cell.Key);
        return _cache[code] = new GradSignProxy().Compute(weights, batch, new ProxyContext(backend)) with { Elapsed = DateTime.UtcNow - started };
    }
}
