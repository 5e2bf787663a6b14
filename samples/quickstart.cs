#:project ../src/GradSign.Core/GradSign.Core.csproj
#:property PublishAot=false

// Scores one NAS-Bench-201 cell with every built-in proxy on 16 real CIFAR-10 training images.
// Data: the folder GRADSIGN_DATA names (see docs/getting-started.md).
using GradSign.Backends.Managed;
using GradSign.Data;
using GradSign.Networks;
using GradSign.Proxies;
using GradSign.SearchSpaces.NasBench201;

var data = DataFolder.Resolve();
var images = ImageDatasets.Load(data, DatasetKind.Cifar10, DatasetSplit.Train);

// The benchmark's best CIFAR-10 cell (index 6111); its weights and batch are drawn from the seed and the cell's key,
// as `gradsign score --dataset cifar10 --batch 16 --seed 42` draws them.
var cell = NasBench201Cell.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
var batch = new BatchSampler(images, DatasetKind.Cifar10, new BatchOptions(BatchSize: 16, Seed: 42)).GetBatch(cell.Key);
var weights = NetworkWeights.Initialize(NasBench201Network.Build(cell), seed: 42, cell.Key);

using var backend = new ManagedBackend(); // owns the buffers its networks reuse; disposing it frees them
Console.WriteLine($"{weights.Spec.ParameterCount:N0} parameters, batch of {batch.Count} images");
foreach (var proxy in ProxyRegistry.CreateDefault().Proxies)
{
    var started = DateTime.UtcNow;
    var score = proxy.Compute(weights, batch, new ProxyContext(backend));
    Console.WriteLine($"{proxy.Id,-10} {score.Value,14:G6}  {(DateTime.UtcNow - started).TotalMilliseconds,7:F0} ms");
}

// Check against the benchmark table: its parameter count is that of the official network variant.
var row = NasBench201Table.LoadDefault(data).GetByArch(cell.ToString());
var official = NasBench201Network.Build(cell, new NasBench201NetworkOptions(Variant: NasBench201Variant.Official));
Console.WriteLine($"benchmark index {row.Index}: {row["zc_c10_params"]:F4} M parameters (official variant here: {official.ParameterCount / 1e6:F4} M), CIFAR-10 test accuracy {row.Cifar10Test:F2} %");
