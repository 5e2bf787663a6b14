namespace GradSign.SearchSpaces.NasBench201;

/// <summary>
/// The five NAS-Bench-201 edge operations. The numeric values follow the benchmark's op list
/// (<c>none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3</c>), which is also the integer encoding of the
/// zero-cost-nas notebooks; they are the digits of <see cref="NasBench201Cell.Code"/>.
/// </summary>
public enum NasBench201Operation
{
    /// <summary><c>none</c>: zeros (<c>x.mul(0.)</c>), kept in the graph.</summary>
    None = 0,

    /// <summary><c>skip_connect</c>: identity.</summary>
    SkipConnect = 1,

    /// <summary><c>nor_conv_1x1</c>: ReLU → 1×1 conv → BatchNorm.</summary>
    NorConv1x1 = 2,

    /// <summary><c>nor_conv_3x3</c>: ReLU → 3×3 conv (pad 1) → BatchNorm.</summary>
    NorConv3x3 = 3,

    /// <summary><c>avg_pool_3x3</c>: 3×3 average pool, stride 1, pad 1, border windows divided by the in-image count.</summary>
    AvgPool3x3 = 4,
}

/// <summary>Names of <see cref="NasBench201Operation"/> as they appear in architecture strings.</summary>
public static class NasBench201Operations
{
    private static readonly string[] Names = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"];

    /// <summary>All five operations in enum order.</summary>
    public static IReadOnlyList<NasBench201Operation> All { get; } =
        [NasBench201Operation.None, NasBench201Operation.SkipConnect, NasBench201Operation.NorConv1x1, NasBench201Operation.NorConv3x3, NasBench201Operation.AvgPool3x3];

    /// <summary>The architecture-string name, e.g. <c>nor_conv_3x3</c>.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined operation.</exception>
    public static string ToArchName(this NasBench201Operation operation)
        => (uint)operation < (uint)Names.Length
            ? Names[(int)operation]
            : throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not a NAS-Bench-201 operation.");

    /// <summary>True for the two operations with parameters (the convolutions).</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>Whether it is <c>nor_conv_1x1</c> or <c>nor_conv_3x3</c>.</returns>
    public static bool IsConvolution(this NasBench201Operation operation)
        => operation is NasBench201Operation.NorConv1x1 or NasBench201Operation.NorConv3x3;

    /// <summary>Parses an architecture-string name (exact, case-sensitive).</summary>
    /// <param name="name">The name, e.g. <c>avg_pool_3x3</c>.</param>
    /// <param name="operation">The operation when the name is known.</param>
    /// <returns>Whether the name is one of the five.</returns>
    public static bool TryParse(ReadOnlySpan<char> name, out NasBench201Operation operation)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (name.SequenceEqual(Names[i]))
            {
                operation = (NasBench201Operation)i;
                return true;
            }
        }

        operation = default;
        return false;
    }

    /// <summary>Parses an architecture-string name (exact, case-sensitive).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="FormatException">Unknown name; the message lists the valid ones.</exception>
    public static NasBench201Operation Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryParse(name, out var op)
            ? op
            : throw new FormatException($"Unknown NAS-Bench-201 operation '{name}'; expected one of {string.Join(", ", Names)}.");
    }
}
