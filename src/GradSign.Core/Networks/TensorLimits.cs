using System.Globalization;

namespace GradSign.Networks;

/// <summary>
/// The largest tensor a network may hold: every parameter and every per-sample activation is one .NET array, so its
/// element count must be at most <see cref="Array.MaxLength"/>. Sizes are multiplied in <see cref="double"/> (exact far
/// beyond that limit), so a huge option is reported, never wrapped into a small or negative size.
/// </summary>
internal static class TensorLimits
{
    /// <summary>The most elements one tensor may have.</summary>
    public static long MaxElements => Array.MaxLength;

    /// <summary>Whether a tensor of these dimensions fits one array.</summary>
    /// <param name="dimensions">Non-negative dimensions.</param>
    /// <returns>True when the product is at most <see cref="MaxElements"/>.</returns>
    public static bool Fits(params ReadOnlySpan<long> dimensions) => Elements(dimensions) <= MaxElements;

    /// <summary>The product of the dimensions, as a double (no overflow).</summary>
    /// <param name="dimensions">Dimensions.</param>
    /// <returns>The element count.</returns>
    public static double Elements(params ReadOnlySpan<long> dimensions)
    {
        var product = 1.0;
        foreach (var d in dimensions)
        {
            product *= d;
        }

        return product;
    }

    /// <summary>The element count as a message writes it ("1.44e+12" when huge).</summary>
    /// <param name="elements">The count.</param>
    /// <returns>The text.</returns>
    public static string Format(double elements)
        => elements < 1e15 ? elements.ToString("N0", CultureInfo.InvariantCulture) : elements.ToString("0.##e+0", CultureInfo.InvariantCulture);

    /// <summary>"at most N values fit one tensor": the end of every size message.</summary>
    public static string Limit => string.Create(CultureInfo.InvariantCulture, $"at most {MaxElements:N0} values fit one tensor");
}
