using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace GradSign.Benchmarks.Kernels;

/// <summary>
/// The managed convolution kernels on every NAS-Bench-201 shape (batch 64, float32), with a GFLOP/s column.
/// Run: <c>gradsign bdn --filter *ConvBenchmarks* --inProcess</c> (add <c>--job short</c> for a quick pass).
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public class ConvBenchmarks
{
    private ConvBuffers<float> _buffers = null!;

    /// <summary>The NAS-Bench-201 convolution shapes at batch 64.</summary>
    public static IEnumerable<ConvShape> Shapes => ConvShape.Nb201(64);

    /// <summary>The shape under test.</summary>
    [ParamsSource(nameof(Shapes))]
    public ConvShape Shape { get; set; } = null!;

    /// <summary>Allocates and fills the operands.</summary>
    [GlobalSetup]
    public void Setup() => _buffers = new ConvBuffers<float>(Shape);

    /// <summary>Forward, all cores.</summary>
    [Benchmark]
    public void Forward() => _buffers.Forward(-1);

    /// <summary>Backward with respect to the input, all cores.</summary>
    [Benchmark]
    public void BackwardData() => _buffers.BackwardData(-1);

    /// <summary>Backward with respect to the weight (summed over the batch), all cores.</summary>
    [Benchmark]
    public void BackwardWeight() => _buffers.BackwardWeight(-1);

    /// <summary>Backward with respect to the weight one sample per call (per-sample gradients), all cores.</summary>
    [Benchmark]
    public void BackwardWeightPerSample() => _buffers.BackwardWeightPerSample(-1);
}

/// <summary>Default BenchmarkDotNet config plus the GFLOP/s column.</summary>
public sealed class KernelBenchmarkConfig : ManualConfig
{
    /// <summary>Adds <see cref="GflopsColumn"/>.</summary>
    public KernelBenchmarkConfig() => AddColumn(new GflopsColumn());
}
