#:project ../src/GradSign.Backends.TorchSharp/GradSign.Backends.TorchSharp.csproj
#:package TorchSharp-cpu@0.107.0
#:property GradSignPatchLibTorchSharp=true
#:property PublishAot=false
#:property AssemblyName=GradSign.Samples.TorchSharp
#:property PackageId=GradSign.Samples.TorchSharp

// Scores one NAS-Bench-201 cell with every proxy on the managed backend and on LibTorch 2.10 (TorchSharp-cpu's natives),
// side by side, on 16 CIFAR-10 images. The first property patches the natives for Linux systems whose libstdc++ predates
// GCC 13 (docs/backends.md); the two names keep this app apart from the TorchSharp assembly.
using System.Diagnostics;
using GradSign.Backends;
using GradSign.Backends.Managed;
using GradSign.Backends.TorchSharp;
using GradSign.Data;
using GradSign.Networks;
using GradSign.Proxies;
using GradSign.SearchSpaces.NasBench201;

var images = ImageDatasets.Load(DataFolder.Resolve(), DatasetKind.Cifar10, DatasetSplit.Train);
var cell = NasBench201Cell.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
var batch = new BatchSampler(images, DatasetKind.Cifar10, new BatchOptions(BatchSize: 16, Seed: 42)).GetBatch(cell.Key);
var weights = NetworkWeights.Initialize(NasBench201Network.Build(cell), seed: 42, cell.Key);
// TorchSharpDevice.Auto would run on a CUDA GPU where the application ships a CUDA build of LibTorch.
var torch = new TorchSharpBackend(new TorchSharpBackendOptions { Device = TorchSharpDevice.Cpu });
using var managed = new ManagedBackend(); // disposing it frees the buffers its networks reuse
ITensorBackend[] backends = [managed, torch];
Console.WriteLine($"LibTorch {TorchSharpBackend.LibTorchVersion} on {torch.Device}; {weights.Spec.ParameterCount:N0} parameters, batch of {batch.Count}");
Console.WriteLine($"{"proxy",-10} {"managed",14} {"ms",6} {"torchsharp",14} {"ms",6}");
foreach (var proxy in ProxyRegistry.CreateDefault().Proxies)
{
    var cells = backends.Select(backend =>
    {
        var clock = Stopwatch.StartNew();
        var score = proxy.Compute(weights, batch, new ProxyContext(backend)).Value;
        return $"{score,14:G6} {clock.ElapsedMilliseconds,6}";
    });
    Console.WriteLine($"{proxy.Id,-10} {string.Join(" ", cells)}");
}
