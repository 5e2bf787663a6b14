using System.Globalization;

namespace GradSign.Cli.Studies;

/// <summary>
/// Shard <c>i</c> of <c>n</c> (0 ≤ i &lt; n): the cells at positions k of the sorted sample with k mod n = i, so the n shards
/// partition the sample exactly (run them as a Kubernetes Indexed Job with <c>--shard $JOB_COMPLETION_INDEX/n</c> or a Slurm
/// array with <c>--shard $SLURM_ARRAY_TASK_ID/n</c>, then <c>gradsign merge</c>).
/// </summary>
/// <param name="Index">This shard, 0-based.</param>
/// <param name="Count">Number of shards.</param>
public sealed record ShardSpec(int Index, int Count)
{
    /// <summary>The whole sample.</summary>
    public static ShardSpec All { get; } = new(0, 1);

    /// <summary>Parses <c>i/n</c>.</summary>
    /// <param name="text">The text, e.g. <c>3/8</c>.</param>
    /// <returns>The shard.</returns>
    /// <exception cref="ArgumentException">Not of the form <c>i/n</c> with 0 ≤ i &lt; n (the value is named).</exception>
    public static ShardSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n > 0 && i < n)
        {
            return new ShardSpec(i, n);
        }

        throw new ArgumentException($"--shard '{CliText.Clip(text)}' must be i/n with 0 <= i < n (e.g. 0/4).", nameof(text));
    }

    /// <summary>This shard's cells: every <see cref="Count"/>-th entry of <paramref name="sample"/>, starting at <see cref="Index"/>.</summary>
    /// <param name="sample">The sorted sample.</param>
    /// <returns>The shard's cells, in sample order.</returns>
    public IReadOnlyList<int> Select(IReadOnlyList<int> sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var cells = new List<int>((sample.Count / Count) + 1);
        for (var k = Index; k < sample.Count; k += Count)
        {
            cells.Add(sample[k]);
        }

        return cells;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
