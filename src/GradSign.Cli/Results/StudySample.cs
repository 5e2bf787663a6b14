using GradSign.Search;

namespace GradSign.Cli.Results;

/// <summary>The cells a correlation study scores: a seeded uniform random subset of the benchmark indices (or all), sorted ascending.</summary>
public static class StudySample
{
    /// <summary>Selects the sample.</summary>
    /// <param name="indices">Every benchmark index available (e.g. 0..15624).</param>
    /// <param name="size">Cells to draw; null = all.</param>
    /// <param name="seed">Seed (the same seed and size always give the same sample).</param>
    /// <returns>Distinct indices, ascending.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is not in [1, number of indices].</exception>
    public static int[] Select(IReadOnlyList<int> indices, int? size, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var all = indices.Order().ToArray();
        if (size is null)
        {
            return all;
        }

        if (size < 1 || size > all.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"--sample must be between 1 and {all.Length} (or 'all').");
        }

        // Partial Fisher–Yates over the sorted indices: the first `size` positions are a uniform subset.
        var rng = new SearchRandom(seed ^ 0x5A3D_1E0F_C0DE_5EEDUL);
        for (var i = 0; i < size; i++)
        {
            var j = i + rng.NextInt(all.Length - i);
            (all[i], all[j]) = (all[j], all[i]);
        }

        return [.. all.Take(size.Value).Order()];
    }
}
