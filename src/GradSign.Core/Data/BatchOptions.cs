namespace GradSign.Data;

/// <summary>How <see cref="BatchSampler"/> builds proxy minibatches. Immutable.</summary>
/// <param name="Pipeline">Reference pipeline (augmentation, normalisation, one batch per architecture or one for all).</param>
/// <param name="BatchSize">Images per batch (zero-cost-nas default 64, GradSign's runs 128, NASWOT 128).</param>
/// <param name="Seed">The run's seed; with an architecture's <see cref="Networks.ArchitectureKey"/> it fixes that architecture's batch.</param>
public sealed record BatchOptions(BatchPipeline Pipeline = BatchPipeline.ZeroCostNas, int BatchSize = 64, ulong Seed = 42)
{
    /// <summary>Normalisation override; null = the pipeline's constants for the dataset (<see cref="ChannelNormalization.For"/>).</summary>
    public ChannelNormalization? Normalization { get; init; }

    /// <summary>Zero padding of <c>RandomCrop</c>; null = 4 for 32×32 images, 2 for 16×16 (zero-cost-nas). Ignored by <see cref="BatchPipeline.Naswot"/>.</summary>
    public int? CropPadding { get; init; }
}
