namespace GradSign.Benchmarks.Kernels;

/// <summary>A benchmark parameter that knows the floating-point operations of one benchmark invocation.</summary>
public interface IFlopCounted
{
    /// <summary>Floating-point operations (a fused multiply-add counts 2).</summary>
    double Flops { get; }
}
