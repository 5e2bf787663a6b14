namespace GradSign.SearchSpaces.NasBench101;

/// <summary>Vertex operations of a NAS-Bench-101 cell.</summary>
public enum NasBench101Operation
{
    /// <summary><c>input</c>: the cell input (vertex 0 only).</summary>
    Input,

    /// <summary><c>conv3x3-bn-relu</c>.</summary>
    Conv3x3BnRelu,

    /// <summary><c>conv1x1-bn-relu</c>.</summary>
    Conv1x1BnRelu,

    /// <summary><c>maxpool3x3</c>: 3×3 max pool, stride 1, pad 1.</summary>
    MaxPool3x3,

    /// <summary><c>output</c>: the cell output (last vertex only).</summary>
    Output,
}

/// <summary>Names of <see cref="NasBench101Operation"/> as the benchmark writes them.</summary>
public static class NasBench101Operations
{
    private static readonly string[] Names = ["input", "conv3x3-bn-relu", "conv1x1-bn-relu", "maxpool3x3", "output"];

    /// <summary>The benchmark's name, e.g. <c>conv3x3-bn-relu</c>.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined operation.</exception>
    public static string ToSpecName(this NasBench101Operation operation)
        => (uint)operation < (uint)Names.Length
            ? Names[(int)operation]
            : throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not a NAS-Bench-101 operation.");

    /// <summary>Parses a benchmark op name (exact, case-sensitive).</summary>
    /// <param name="name">The name.</param>
    /// <param name="operation">The operation when known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string? name, out NasBench101Operation operation)
    {
        var i = Array.IndexOf(Names, name);
        operation = i >= 0 ? (NasBench101Operation)i : default;
        return i >= 0;
    }

    /// <summary>Parses a benchmark op name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="FormatException">Unknown name; the message lists the valid ones.</exception>
    public static NasBench101Operation Parse(string name)
        => TryParse(name, out var op)
            ? op
            : throw new FormatException($"Unknown NAS-Bench-101 operation '{name}'; expected one of {string.Join(", ", Names)}.");
}
