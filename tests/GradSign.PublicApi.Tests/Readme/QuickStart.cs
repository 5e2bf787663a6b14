using GradSign.Backends.Managed;
using GradSign.Data;
using GradSign.Networks;
using GradSign.Proxies;
using GradSign.SearchSpaces.NasBench201;

namespace GradSign.Tests.Readme;

/// <summary>The README's Quick start, compiled: the usings above and the body between the markers are the README block.</summary>
internal static class QuickStart
{
    public static void Run()
    {
        // README:begin
        var cell = NasBench201Cell.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|");
        var weights = NetworkWeights.Initialize(NasBench201Network.Build(cell), seed: 42, cell.Key);
        var images = ImageDatasets.Load(DataFolder.Resolve(), DatasetKind.Cifar10, DatasetSplit.Train);
        var batch = new BatchSampler(images, DatasetKind.Cifar10, new BatchOptions(Seed: 42)).GetBatch(cell.Key);
        using var backend = new ManagedBackend(); // owns the buffer pool its networks share; dispose it when done
        foreach (var proxy in ProxyRegistry.CreateDefault().Proxies)
        {
            Console.WriteLine($"{proxy.Id}: {proxy.Compute(weights, batch, new ProxyContext(backend)).Value}");
        }

        // README:end
    }
}
