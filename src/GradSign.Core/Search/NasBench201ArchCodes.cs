namespace GradSign.Search;

/// <summary>
/// Architecture string ↔ 6-digit base-5 code (edge 0 most significant; ops <c>none, skip_connect, nor_conv_1x1,
/// nor_conv_3x3, avg_pool_3x3</c>) for the NAS-Bench-201 simulation.
/// TEMPORARY: to be replaced by <c>GradSign.SearchSpaces.NasBench201.NasBench201Cell</c> (Parse/Code/FromCode/ToString)
/// once the networks branch lands in main; the codes are the same.
/// </summary>
internal static class NasBench201ArchCodes
{
    private static readonly string[] OpNames = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"];

    /// <summary>Sources of the 6 edges in string order: node 1 ← 0; node 2 ← 0, 1; node 3 ← 0, 1, 2.</summary>
    private static readonly int[] Sources = [0, 0, 1, 0, 1, 2];

    public static int ToCode(string arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var tokens = arch.Split(['|', '+'], StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length != 6)
        {
            throw new FormatException($"'{arch}' is not a NAS-Bench-201 architecture string (expected 6 op~source tokens).");
        }

        var code = 0;
        for (var e = 0; e < 6; e++)
        {
            var parts = tokens[e].Split('~');
            var op = Array.IndexOf(OpNames, parts[0]);
            if (parts.Length != 2 || op < 0 || parts[1] != Sources[e].ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new FormatException($"'{arch}': token '{tokens[e]}' is not a valid edge {e}.");
            }

            code = (code * 5) + op;
        }

        return code;
    }

    public static string ToArch(int code)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(code);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(code, 15625);
        var ops = new string[6];
        for (var e = 5; e >= 0; e--)
        {
            ops[e] = $"{OpNames[code % 5]}~{Sources[e]}";
            code /= 5;
        }

        return $"|{ops[0]}|+|{ops[1]}|{ops[2]}|+|{ops[3]}|{ops[4]}|{ops[5]}|";
    }
}
