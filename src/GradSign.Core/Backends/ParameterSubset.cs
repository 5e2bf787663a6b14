namespace GradSign.Backends;

/// <summary>Checks and expands the parameter subsets that streaming passes accept.</summary>
internal static class ParameterSubset
{
    /// <summary>Throws unless <paramref name="parameters"/> are distinct parameter indices of <paramref name="spec"/>.</summary>
    public static void Check(Networks.NetworkSpec spec, IReadOnlyList<int> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var seen = new HashSet<int>();
        for (var i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if ((uint)p >= (uint)spec.Parameters.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(parameters), p, $"parameters[{i}] = {p} is not a parameter index of the network (0..{spec.Parameters.Count - 1}).");
            }

            if (!seen.Add(p))
            {
                throw new ArgumentException($"parameters[{i}] = {p} is requested twice.", nameof(parameters));
            }
        }
    }

    /// <summary>A mask over <paramref name="spec"/>'s parameters: the checked <paramref name="parameters"/>, or all of them when null.</summary>
    public static bool[] Mask(Networks.NetworkSpec spec, IReadOnlyList<int>? parameters)
    {
        var mask = new bool[spec.Parameters.Count];
        if (parameters is null)
        {
            Array.Fill(mask, true);
            return mask;
        }

        Check(spec, parameters);
        foreach (var p in parameters)
        {
            mask[p] = true;
        }

        return mask;
    }
}
