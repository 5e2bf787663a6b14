using GradSign.Data;

namespace GradSign.SearchSpaces.NasBench201;

/// <summary>One NAS-Bench-201 cell of a benchmark table.</summary>
/// <param name="Index">Benchmark index (0..15624).</param>
/// <param name="Arch">Canonical architecture string, e.g. <c>|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|…|</c>.</param>
/// <param name="UniqueStr">Isomorphism class, when the table has it.</param>
/// <param name="HasDeadEdge">Whether a non-<c>none</c> edge lies on no input→output path, when the table has it.</param>
/// <param name="Values">Every numeric column (accuracies in percent, published <c>zc_*</c> scores); empty cells are NaN.</param>
public sealed record NasBench201Row(int Index, string Arch, string? UniqueStr, bool? HasDeadEdge, ColumnValues Values)
{
    /// <summary>A numeric column by name.</summary>
    /// <param name="column">Column name, e.g. <see cref="NasBench201Columns.Cifar10Test"/>.</param>
    /// <returns>The value (NaN for an empty cell).</returns>
    /// <exception cref="KeyNotFoundException">The table has no such numeric column.</exception>
    public double this[string column] => Values[column];

    /// <summary>200-epoch CIFAR-10 test accuracy (%), NaN when the table lacks the column.</summary>
    public double Cifar10Test => Get(NasBench201Columns.Cifar10Test);

    /// <summary>200-epoch test accuracy (%) of the <c>cifar10-valid</c> runs, NaN when absent.</summary>
    public double Cifar10ValidSplitTest => Get(NasBench201Columns.Cifar10ValidSplitTest);

    /// <summary>200-epoch CIFAR-100 test accuracy (%), NaN when absent.</summary>
    public double Cifar100Test => Get(NasBench201Columns.Cifar100Test);

    /// <summary>200-epoch ImageNet16-120 test accuracy (%), NaN when absent.</summary>
    public double ImageNet16Test => Get(NasBench201Columns.ImageNet16Test);

    private double Get(string column) => Values.TryGetValue(column, out var v) ? v : double.NaN;
}
