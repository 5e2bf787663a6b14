namespace GradSign.Backends.Managed.Kernels;

/// <summary>Which algorithm a convolution kernel uses.</summary>
internal enum ConvAlgorithm
{
    /// <summary>The kernel's default: Winograd F(2×2, 3×3) for the backward passes where <see cref="Conv3x3Winograd.Applies{T}"/>, direct for the forward pass.</summary>
    Auto,

    /// <summary>The direct (implicit-GEMM) convolution: one fixed-order sum of products per element (benchmarks compare against it).</summary>
    Direct,

    /// <summary>Winograd F(2×2, 3×3) where it applies, else direct.</summary>
    Winograd,
}
