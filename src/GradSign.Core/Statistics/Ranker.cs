namespace GradSign.Statistics;

/// <summary>Ranks NaN-free values by sorting a copy with a permutation (O(n log n)).</summary>
internal static class Ranker
{
    /// <summary>
    /// Writes the 1-based ranks of <paramref name="values"/> (no NaN) to <paramref name="ranks"/>.
    /// <paramref name="ranks"/> may overlap <paramref name="values"/>: the values are sorted into workspace keys first.
    /// Uses the workspace's Keys and OrderX buffers.
    /// </summary>
    public static void Rank(ReadOnlySpan<double> values, Span<double> ranks, RankTieMethod ties, CorrelationWorkspace workspace)
    {
        var n = values.Length;
        var keys = workspace.Keys(n);
        var order = workspace.OrderX(n);
        RadixSort.Sort(values, keys, order, workspace);

        var dense = 0;
        for (var start = 0; start < n;)
        {
            // [start, end) is one run of equal values (== also merges -0.0 with +0.0, as the sort does).
            var end = start + 1;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }

            dense++;
            switch (ties)
            {
                case RankTieMethod.Average:
                    // Mean of the 1-based ranks start+1 … end; exact in double for any realistic n.
                    Assign(ranks, order[start..end], (start + end + 1) * 0.5);
                    break;
                case RankTieMethod.Min:
                    Assign(ranks, order[start..end], start + 1);
                    break;
                case RankTieMethod.Max:
                    Assign(ranks, order[start..end], end);
                    break;
                case RankTieMethod.Dense:
                    Assign(ranks, order[start..end], dense);
                    break;
                default:
                    // Ordinal: the small-input introsort is unstable; restore input order within the run.
                    var run = order[start..end];
                    run.Sort();
                    for (var k = 0; k < run.Length; k++)
                    {
                        ranks[run[k]] = start + k + 1;
                    }

                    break;
            }

            start = end;
        }
    }

    /// <summary>Sets <c>order[i] = i</c>.</summary>
    public static void FillIdentity(Span<int> order)
    {
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
    }

    private static void Assign(Span<double> ranks, ReadOnlySpan<int> positions, double rank)
    {
        foreach (var p in positions)
        {
            ranks[p] = rank;
        }
    }
}
