using GradSign.Networks;

namespace GradSign.Backends.Execution;

/// <summary>Per-sample, per-channel output saliency of one conv or linear layer.</summary>
/// <param name="Layer">Index of the layer in <see cref="NetworkSpec.Layers"/>.</param>
/// <param name="Weight">Index of its weight parameter.</param>
/// <param name="Channels">Output channels (features).</param>
/// <param name="Values">Count × Channels, row-major: <c>Σ_{h,w} a·∂L/∂a</c>.</param>
public sealed record LayerSaliency(int Layer, int Weight, int Channels, double[] Values);
