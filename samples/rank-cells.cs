#:project ../src/GradSign.Core/GradSign.Core.csproj
#:property PublishAot=false

// Scores 50 NAS-Bench-201 cells with three cheap proxies (one batch of 16 CIFAR-10 images per cell, as zero-cost-nas
// draws them) and prints how well each ranks the cells' trained accuracy, beside the published scores of the same cells.
using GradSign.Backends.Managed;
using GradSign.Data;
using GradSign.Proxies;
using GradSign.Proxies.Evaluation;
using GradSign.SearchSpaces.NasBench201;
using GradSign.Statistics;
var data = DataFolder.Resolve();
var table = NasBench201Table.LoadDefault(data);
var rows = Enumerable.Range(0, 50).Select(i => table.GetByIndex(i * 311)).ToList(); // an even spread of the 15,625 cells
var images = ImageDatasets.Load(data, DatasetKind.Cifar10, DatasetSplit.Train);
var sampler = new BatchSampler(images, DatasetKind.Cifar10, new BatchOptions(BatchSize: 16, Seed: 0));

var proxies = ProxyRegistry.CreateDefault().Resolve("synflow,naswot,snip");
using var backend = new ManagedBackend(); // disposing it frees the buffers its networks reuse
var runner = new ProxyRunner(new ProxyContext(backend));
var inputs = rows.Select(r => new ArchitectureInput(r.Arch, () => NasBench201Network.Build(r.Arch)));
var results = runner.Run(inputs, proxies, (a, _) => sampler.GetBatch(a.Key), new ProxyRunOptions { Seed = 0 }).ToList();

// Target: CIFAR-10 test accuracy of the cifar10-valid runs, the column the zero-cost-proxy papers correlate against.
var accuracy = rows.Select(r => r.Cifar10ValidSplitTest).ToArray();
Console.WriteLine($"{rows.Count + " cells",-14} {"Spearman",8} {"Kendall",8}   published scores' Spearman (same cells, where scored)");
foreach (var (proxy, published) in new[] { ("synflow", "zc_c10_synflow"), ("naswot", "zc_c10_nwot"), ("snip", "zc_c10_snip") })
{
    var ours = CorrelationSummary.Compute(results.Select(s => s[proxy]).ToArray(), accuracy);
    var theirs = RankCorrelation.Spearman(rows.Select(r => r[published]).ToArray(), accuracy, NanPolicy.Omit);
    Console.WriteLine($"{proxy,-14} {ours.Spearman,8:F3} {ours.KendallTauB,8:F3}   {theirs,8:F3}");
}
