using GradSign.Data;

namespace GradSign.SearchSpaces.NasBench201;

/// <summary>Column names of <c>nas-bench-201/nb201.csv.gz</c> and <c>nb201_12epoch.csv.gz</c> (see the data README).</summary>
public static class NasBench201Columns
{
    /// <summary>Benchmark index 0..15624.</summary>
    public const string Index = "index";

    /// <summary>Canonical architecture string.</summary>
    public const string Arch = "arch";

    /// <summary>Isomorphism class string.</summary>
    public const string UniqueStr = "unique_str";

    /// <summary>True when a non-<c>none</c> edge lies on no input→output path.</summary>
    public const string HasDeadEdge = "has_dead_edge";

    /// <summary>200-epoch CIFAR-10 test accuracy (%), trained on 50k images.</summary>
    public const string Cifar10Test = "cifar10_test";

    /// <summary>200-epoch CIFAR-10 validation accuracy (%).</summary>
    public const string Cifar10Valid = "cifar10_valid";

    /// <summary>200-epoch test accuracy (%) of the <c>cifar10-valid</c> runs (trained on 25k): the zero-cost-proxy papers' CIFAR-10 target.</summary>
    public const string Cifar10ValidSplitTest = "cifar10valid_split_test";

    /// <summary>200-epoch CIFAR-100 test accuracy (%).</summary>
    public const string Cifar100Test = "cifar100_test";

    /// <summary>200-epoch CIFAR-100 validation accuracy (%).</summary>
    public const string Cifar100Valid = "cifar100_valid";

    /// <summary>200-epoch ImageNet16-120 test accuracy (%).</summary>
    public const string ImageNet16Test = "imagenet16_test";

    /// <summary>200-epoch ImageNet16-120 validation accuracy (%).</summary>
    public const string ImageNet16Valid = "imagenet16_valid";

    /// <summary>
    /// The accuracy column zero-cost-nas correlates against for a dataset (<c>get_more_info(i, 'cifar10-valid' | 'cifar100' |
    /// 'ImageNet16-120', hp='200')['test-accuracy']</c>): <see cref="Cifar10ValidSplitTest"/>, <see cref="Cifar100Test"/>,
    /// <see cref="ImageNet16Test"/>.
    /// </summary>
    /// <param name="kind">Dataset.</param>
    /// <returns>Column name.</returns>
    public static string DefaultTarget(DatasetKind kind) => kind switch
    {
        DatasetKind.Cifar10 => Cifar10ValidSplitTest,
        DatasetKind.Cifar100 => Cifar100Test,
        DatasetKind.ImageNet16 => ImageNet16Test,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown dataset."),
    };

    /// <summary>Prefix of the published NAS-Bench-Suite-Zero scores for a dataset: <c>zc_c10_</c>, or <c>zc_img_</c> for
    /// ImageNet16-120. CIFAR-100 has only <c>zc_c100_zen</c>, so null is returned for it.</summary>
    /// <param name="kind">Dataset.</param>
    /// <returns>The prefix, or null.</returns>
    public static string? PublishedScorePrefix(DatasetKind kind) => kind switch
    {
        DatasetKind.Cifar10 => "zc_c10_",
        DatasetKind.ImageNet16 => "zc_img_",
        _ => null,
    };
}
