using BenchmarkDotNet.Attributes;
using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Backends.Managed;
using GradSign.Networks;
using GradSign.SearchSpaces.NasBench201;

namespace GradSign.Benchmarks.Backends;

/// <summary>
/// The managed backend on the NAS-Bench-201 network of the table's best CIFAR-10 cell (index 6111; C = 16, N = 5, 32×32,
/// zero-cost-nas variant, batch 64, float32): one batched
/// forward+backward (SNIP, grad_norm), per-sample gradients of every sample (GradSign), a Hessian-vector product
/// (GraSP) and a forward pass. The reference points are PyTorch's 0.37–0.44 s for the batched forward+backward.
/// </summary>
[MemoryDiagnoser]
public class BackendBenchmarks
{
    private INetworkExecutor _executor = null!;
    private Batch _batch = null!;
    private double[] _logits = [];
    private double[]?[] _direction = [];

    /// <summary>Threads given to the backend.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Compiles the network and draws a batch (deterministic).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var spec = NasBench201Network.Build("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
        _executor = new ManagedBackend().Compile(NetworkWeights.Initialize(spec, 1), ExecutionOptions.Default with { MaxDegreeOfParallelism = Threads });
        const int count = 64;
        var images = new float[count * 3 * 32 * 32];
        var state = 0x9E3779B97F4A7C15UL;
        for (var i = 0; i < images.Length; i++)
        {
            state = (state * 6364136223846793005UL) + 1442695040888963407UL;
            images[i] = ((state >> 40) / (float)(1 << 24) * 2) - 1;
        }

        _batch = new Batch(images, [.. Enumerable.Range(0, count).Select(i => i % 10)], count, 3, 32, 32);
        _logits = new double[count * spec.NumClasses];
        _direction = [.. spec.Parameters.Select(p => Enumerable.Repeat(1e-3, p.ElementCount).ToArray())];
    }

    /// <summary>Releases the executor.</summary>
    [GlobalCleanup]
    public void Cleanup() => _executor.Dispose();

    /// <summary>Forward pass only.</summary>
    [Benchmark]
    public void Forward() => _executor.Forward(_batch, _logits);

    /// <summary>One batched forward+backward of the mean cross-entropy.</summary>
    [Benchmark(Baseline = true)]
    public GradientResult ForwardBackward() => _executor.Backward(_batch, Objective.CrossEntropy);

    /// <summary>Gradients of all 64 samples, each as if forwarded alone.</summary>
    [Benchmark]
    public void PerSampleGradients() => _executor.PerSampleGradients(_batch, static (_, _) => { });

    /// <summary>One Hessian-vector product of the mean cross-entropy.</summary>
    [Benchmark]
    public double[][] HessianVectorProduct() => _executor.HessianVectorProduct(_batch, Objective.CrossEntropy, _direction);
}
