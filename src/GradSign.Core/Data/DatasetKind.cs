namespace GradSign.Data;

/// <summary>The image datasets the NAS-Bench-201 study scores architectures on.</summary>
public enum DatasetKind
{
    /// <summary>CIFAR-10 (10 classes, 32×32 RGB); id <c>cifar10</c>.</summary>
    Cifar10,

    /// <summary>CIFAR-100 (100 fine classes, 32×32 RGB); id <c>cifar100</c>.</summary>
    Cifar100,

    /// <summary>
    /// ImageNet16-120 (120 classes, 16×16 RGB); id <c>imagenet16-120</c>. The real files are not available here:
    /// <see cref="ImageDatasets"/> loads a <b>stand-in</b> made of real ImageNet photos down-sampled to 16×16 in the
    /// 120-class label space, so every number computed with it is an approximation.
    /// </summary>
    ImageNet16,
}

/// <summary>Command-line ids and basic facts of <see cref="DatasetKind"/>.</summary>
public static class DatasetKinds
{
    /// <summary>The ids accepted by <see cref="Parse"/>, in enum order.</summary>
    public static IReadOnlyList<string> Ids { get; } = ["cifar10", "cifar100", "imagenet16-120"];

    /// <summary>The stable lower-case id (<c>cifar10</c>, <c>cifar100</c>, <c>imagenet16-120</c>).</summary>
    /// <param name="kind">The dataset.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static string ToId(this DatasetKind kind) => kind switch
    {
        DatasetKind.Cifar10 => "cifar10",
        DatasetKind.Cifar100 => "cifar100",
        DatasetKind.ImageNet16 => "imagenet16-120",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown dataset."),
    };

    /// <summary>Parses an id, case-insensitively; <c>imagenet16</c> and <c>imagenet</c> are accepted for ImageNet16-120.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a known dataset (the message lists the valid ids).</exception>
    public static DatasetKind Parse(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.Trim().ToLowerInvariant() switch
        {
            "cifar10" or "cifar-10" => DatasetKind.Cifar10,
            "cifar100" or "cifar-100" => DatasetKind.Cifar100,
            "imagenet16-120" or "imagenet16" or "imagenet" or "imagenet16_120" => DatasetKind.ImageNet16,
            _ => throw new ArgumentException($"Unknown dataset '{id}'; expected one of {string.Join(", ", Ids)}.", nameof(id)),
        };
    }

    /// <summary>Number of classes: 10, 100 or 120.</summary>
    /// <param name="kind">The dataset.</param>
    /// <returns>The class count.</returns>
    public static int ClassCount(this DatasetKind kind) => kind switch
    {
        DatasetKind.Cifar10 => 10,
        DatasetKind.Cifar100 => 100,
        DatasetKind.ImageNet16 => 120,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown dataset."),
    };

    /// <summary>Image side length in pixels: 32 for CIFAR, 16 for ImageNet16-120.</summary>
    /// <param name="kind">The dataset.</param>
    /// <returns>The side length.</returns>
    public static int ImageSize(this DatasetKind kind) => kind switch
    {
        DatasetKind.Cifar10 or DatasetKind.Cifar100 => 32,
        DatasetKind.ImageNet16 => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown dataset."),
    };
}

/// <summary>Which part of a dataset to load.</summary>
public enum DatasetSplit
{
    /// <summary>The training images (the references draw proxy minibatches from these).</summary>
    Train,

    /// <summary>The test images.</summary>
    Test,
}
