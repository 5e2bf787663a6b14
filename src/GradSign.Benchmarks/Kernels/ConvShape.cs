using GradSign.Backends.Managed.Kernels;

namespace GradSign.Benchmarks.Kernels;

/// <summary>One convolution of the NAS-Bench-201 workload (C=16, N=5, CIFAR 3×32×32) at a given batch.</summary>
/// <param name="Name">Short label, e.g. <c>c16-32x32-k3</c>.</param>
/// <param name="Geometry">The per-sample geometry.</param>
/// <param name="Batch">Samples per call.</param>
public sealed record ConvShape(string Name, ConvGeometryInfo Geometry, int Batch) : IFlopCounted
{
    /// <summary>Floating-point operations of one pass (forward, backward-data and backward-weight each cost the same):
    /// 2·batch·Cout·OH·OW·Cin·K².</summary>
    public double Flops => 2.0 * Batch * Geometry.ToGeometry().OutputSize * Geometry.InChannels * Geometry.Kernel * Geometry.Kernel;

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>The shapes of a NAS-Bench-201 network at <paramref name="batch"/>: 3×3 pad 1 and 1×1 cell convolutions at
    /// 16/32/64 channels, the stride-2 reduction convolutions and the 3→16 stem.</summary>
    public static IReadOnlyList<ConvShape> Nb201(int batch) =>
    [
        new("c16-32x32-k3", new(16, 32, 32, 16, 3, 1, 1), batch),
        new("c32-16x16-k3", new(32, 16, 16, 32, 3, 1, 1), batch),
        new("c64-8x8-k3", new(64, 8, 8, 64, 3, 1, 1), batch),
        new("c16-32x32-k1", new(16, 32, 32, 16, 1, 1, 0), batch),
        new("c32-16x16-k1", new(32, 16, 16, 32, 1, 1, 0), batch),
        new("c64-8x8-k1", new(64, 8, 8, 64, 1, 1, 0), batch),
        new("c16to32-s2-k3", new(16, 32, 32, 32, 3, 2, 1), batch),
        new("c32to64-s2-k3", new(32, 16, 16, 64, 3, 2, 1), batch),
        new("stem-3to16-k3", new(3, 32, 32, 16, 3, 1, 1), batch),
    ];
}

/// <summary>A public mirror of the internal kernel geometry (BenchmarkDotNet parameters must be public).</summary>
/// <param name="InChannels">Cin.</param>
/// <param name="Height">H.</param>
/// <param name="Width">W.</param>
/// <param name="OutChannels">Cout.</param>
/// <param name="Kernel">K.</param>
/// <param name="Stride">Stride.</param>
/// <param name="Padding">Zero padding.</param>
public readonly record struct ConvGeometryInfo(int InChannels, int Height, int Width, int OutChannels, int Kernel, int Stride, int Padding)
{
    internal ConvGeometry ToGeometry() => new(InChannels, Height, Width, OutChannels, Kernel, Stride, Padding);
}
