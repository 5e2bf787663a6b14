namespace GradSign.Data;

/// <summary>
/// Per-channel normalisation after <c>ToTensor</c>: a byte <c>v</c> of channel <c>c</c> becomes
/// <c>(v / 255 − Mean[c]) / Std[c]</c>, computed in float32 as torchvision does.
/// </summary>
/// <param name="Mean">Mean per channel (on the 0..1 scale).</param>
/// <param name="Std">Standard deviation per channel (on the 0..1 scale), all positive.</param>
public sealed record ChannelNormalization(IReadOnlyList<float> Mean, IReadOnlyList<float> Std)
{
    /// <summary>zero-cost-nas CIFAR-10/CIFAR-100: mean (0.4914, 0.4822, 0.4465), std (0.2023, 0.1994, 0.2010) (ZC <c>foresight/dataset.py</c>; the CIFAR-10 statistics are used for CIFAR-100 too).</summary>
    public static ChannelNormalization ZeroCostNasCifar { get; } = new([0.4914f, 0.4822f, 0.4465f], [0.2023f, 0.1994f, 0.2010f]);

    /// <summary>NASWOT CIFAR-10: mean [125.3, 123.0, 113.9]/255, std [63.0, 62.1, 66.7]/255 (NW <c>datasets/data.py</c>).</summary>
    public static ChannelNormalization NaswotCifar10 { get; } = FromBytes([125.3, 123.0, 113.9], [63.0, 62.1, 66.7]);

    /// <summary>NASWOT CIFAR-100: mean [129.3, 124.1, 112.4]/255, std [68.2, 65.4, 70.4]/255.</summary>
    public static ChannelNormalization NaswotCifar100 { get; } = FromBytes([129.3, 124.1, 112.4], [68.2, 65.4, 70.4]);

    /// <summary>ImageNet16-120 (both pipelines): mean [122.68, 116.66, 104.01]/255, std [63.22, 61.26, 65.09]/255.</summary>
    public static ChannelNormalization ImageNet16 { get; } = FromBytes([122.68, 116.66, 104.01], [63.22, 61.26, 65.09]);

    /// <summary>The constants a reference pipeline uses for a dataset.</summary>
    /// <param name="pipeline">Pipeline.</param>
    /// <param name="kind">Dataset.</param>
    /// <returns>The normalisation.</returns>
    public static ChannelNormalization For(BatchPipeline pipeline, DatasetKind kind) => (pipeline, kind) switch
    {
        (_, DatasetKind.ImageNet16) => ImageNet16,
        (BatchPipeline.ZeroCostNas, DatasetKind.Cifar10 or DatasetKind.Cifar100) => ZeroCostNasCifar,
        (BatchPipeline.Naswot, DatasetKind.Cifar10) => NaswotCifar10,
        (BatchPipeline.Naswot, DatasetKind.Cifar100) => NaswotCifar100,
        _ => throw new ArgumentOutOfRangeException(nameof(pipeline), $"Unknown pipeline/dataset {pipeline}/{kind}."),
    };

    /// <summary>Normalisation from constants on the 0..255 scale (divided by 255 in float64, then rounded to float32, as
    /// <c>[x/255 for x in ...]</c> in Python followed by torch's float32 tensor).</summary>
    /// <param name="mean255">Means on the byte scale.</param>
    /// <param name="std255">Standard deviations on the byte scale.</param>
    /// <returns>The normalisation.</returns>
    public static ChannelNormalization FromBytes(IReadOnlyList<double> mean255, IReadOnlyList<double> std255)
    {
        ArgumentNullException.ThrowIfNull(mean255);
        ArgumentNullException.ThrowIfNull(std255);
        return new([.. mean255.Select(m => (float)(m / 255.0))], [.. std255.Select(s => (float)(s / 255.0))]);
    }

    /// <summary>Checks that there is one positive finite std and a finite mean per channel.</summary>
    /// <param name="channels">Channels of the images it will be applied to.</param>
    /// <exception cref="ArgumentException">Wrong lengths or a non-positive/non-finite value (named).</exception>
    public void Validate(int channels)
    {
        if (Mean.Count != channels || Std.Count != channels)
        {
            throw new ArgumentException($"Normalisation has {Mean.Count} means and {Std.Count} stds; the images have {channels} channels.");
        }

        for (var c = 0; c < channels; c++)
        {
            if (!float.IsFinite(Mean[c]) || !float.IsFinite(Std[c]) || Std[c] <= 0)
            {
                throw new ArgumentException($"Normalisation channel {c}: mean {Mean[c]}, std {Std[c]}; std must be positive and both finite.");
            }
        }
    }

    /// <summary>Applies the normalisation to one byte (the exact float32 operation order of ToTensor + Normalize).</summary>
    /// <param name="value">Pixel byte.</param>
    /// <param name="channel">Channel.</param>
    /// <returns>The normalised value.</returns>
    public float Apply(byte value, int channel) => ((value / 255f) - Mean[channel]) / Std[channel];
}
