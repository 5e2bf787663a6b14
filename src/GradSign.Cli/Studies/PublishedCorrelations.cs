using GradSign.Data;
using GradSign.SearchSpaces.NasBench201;

namespace GradSign.Cli.Studies;

/// <summary>
/// Reference numbers the study is compared with: zero-cost-nas's |Spearman ρ| over all 15,625 NAS-Bench-201 cells
/// (RESULTS.md §1.1; SamsungLabs/zero-cost-nas <c>notebooks/nasbench201_correlations.ipynb</c>, seed 42, one random
/// minibatch per network, PyTorch default init) and the NAS-Bench-Suite-Zero <c>zc_*</c> column of each proxy.
/// </summary>
internal static class PublishedCorrelations
{
    private static readonly Dictionary<(DatasetKind, string), double> ZeroCostNas = new()
    {
        [(DatasetKind.Cifar10, "grad_norm")] = 0.594, [(DatasetKind.Cifar10, "snip")] = 0.596, [(DatasetKind.Cifar10, "grasp")] = 0.514,
        [(DatasetKind.Cifar10, "fisher")] = 0.360, [(DatasetKind.Cifar10, "synflow")] = 0.737, [(DatasetKind.Cifar10, "jacob_cov")] = 0.731,
        [(DatasetKind.Cifar100, "grad_norm")] = 0.637, [(DatasetKind.Cifar100, "snip")] = 0.637, [(DatasetKind.Cifar100, "grasp")] = 0.547,
        [(DatasetKind.Cifar100, "fisher")] = 0.385, [(DatasetKind.Cifar100, "synflow")] = 0.763, [(DatasetKind.Cifar100, "jacob_cov")] = 0.704,
        [(DatasetKind.ImageNet16, "grad_norm")] = 0.578, [(DatasetKind.ImageNet16, "snip")] = 0.578, [(DatasetKind.ImageNet16, "grasp")] = 0.549,
        [(DatasetKind.ImageNet16, "fisher")] = 0.327, [(DatasetKind.ImageNet16, "synflow")] = 0.751, [(DatasetKind.ImageNet16, "jacob_cov")] = 0.701,
    };

    // Our proxy id → NAS-Bench-Suite-Zero's name (NASLib calls NASWOT "nwot" and jacob_cov "jacov"). GradSign has none.
    private static readonly Dictionary<string, string> SuiteZeroNames = new(StringComparer.Ordinal)
    {
        ["synflow"] = "synflow", ["grasp"] = "grasp", ["snip"] = "snip", ["naswot"] = "nwot", ["grad_norm"] = "grad_norm",
        ["fisher"] = "fisher", ["jacob_cov"] = "jacov", ["params"] = "params", ["flops"] = "flops", ["zen"] = "zen",
    };

    /// <summary>zero-cost-nas's published |ρ| for a proxy on a dataset, or null when the table has none (GradSign, NASWOT, …).</summary>
    public static double? AbsSpearman(DatasetKind dataset, string proxyId)
        => ZeroCostNas.TryGetValue((dataset, proxyId), out var v) ? v : null;

    /// <summary>NAS-Bench-Suite-Zero's name of a proxy (<c>nwot</c> for NASWOT, <c>jacov</c> for jacob_cov, …), or null when the suite has none.</summary>
    public static string? SuiteZeroName(string proxyId) => SuiteZeroNames.GetValueOrDefault(proxyId);

    /// <summary>
    /// The published NAS-Bench-Suite-Zero score column for a proxy: <c>zc_c10_*</c> (CIFAR-10 batches) for CIFAR-10 and
    /// CIFAR-100 (the suite has no CIFAR-100 scores except <c>zen</c>, whose <c>zc_c100_zen</c> is used), <c>zc_img_*</c> for
    /// ImageNet16-120; null when none.
    /// </summary>
    public static string? SuiteZeroColumn(DatasetKind dataset, string proxyId)
        => !SuiteZeroNames.TryGetValue(proxyId, out var name) ? null
        : dataset == DatasetKind.Cifar100 && name == "zen" ? "zc_c100_zen"
        : (NasBench201Columns.PublishedScorePrefix(dataset) ?? "zc_c10_") + name;
}
