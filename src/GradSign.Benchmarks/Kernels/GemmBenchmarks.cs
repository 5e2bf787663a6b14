using BenchmarkDotNet.Attributes;
using GradSign.Backends.Managed.Kernels;

namespace GradSign.Benchmarks.Kernels;

/// <summary>One GEMM size, C[m×n] = A[m×k]·B[k×n].</summary>
/// <param name="M">Rows of C.</param>
/// <param name="N">Columns of C.</param>
/// <param name="K">Reduction length.</param>
public sealed record GemmShape(int M, int N, int K) : IFlopCounted
{
    /// <inheritdoc/>
    public double Flops => 2.0 * M * N * K;

    /// <inheritdoc/>
    public override string ToString() => $"{M}x{N}x{K}";
}

/// <summary>
/// <see cref="Gemm"/> (float32, no transposes) on the per-sample GEMM sizes of the NAS-Bench-201 3×3 convolutions and a
/// square one. Run: <c>gradsign bdn --filter *GemmBenchmarks* --inProcess</c>.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    /// <summary>Sizes: Cout × pixels × Cin·9 for 16/32/64 channels, and 256³.</summary>
    public static IEnumerable<GemmShape> Shapes =>
        [new(16, 1024, 144), new(32, 256, 288), new(64, 64, 576), new(64, 1024, 576), new(256, 256, 256)];

    /// <summary>The size under test.</summary>
    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = null!;

    /// <summary>Allocates the operands.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _a = Enumerable.Range(0, Shape.M * Shape.K).Select(i => (i % 7) * 0.1f).ToArray();
        _b = Enumerable.Range(0, Shape.K * Shape.N).Select(i => (i % 5) * 0.1f).ToArray();
        _c = new float[Shape.M * Shape.N];
    }

    /// <summary>C = A·B on all cores.</summary>
    [Benchmark]
    public void Multiply() => Gemm.Multiply<float>(false, false, Shape.M, Shape.N, Shape.K, _a, Shape.K, _b, Shape.N, _c, Shape.N, false);
}
