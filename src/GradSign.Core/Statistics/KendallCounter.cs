namespace GradSign.Statistics;

/// <summary>
/// Knight's O(n log n) algorithm for Kendall's τ: order the pairs by (x, y), then the discordant pairs are the
/// inversions of the y sequence, counted with a merge sort. Tie counts come from runs in the sorted orders.
/// </summary>
internal static class KendallCounter
{
    // Runs shorter than this are sorted by insertion (each shift is exactly one inversion) before merging.
    private const int InsertionRun = 16;

    /// <summary>Counts ties and discordant pairs of NaN-free <paramref name="x"/>, <paramref name="y"/> (±∞ allowed).</summary>
    public static KendallCounts Count(ReadOnlySpan<double> x, ReadOnlySpan<double> y, CorrelationWorkspace workspace)
    {
        var n = x.Length;
        var keys = workspace.Keys(n);
        var orderY = workspace.OrderY(n);
        var orderX = workspace.OrderX(n);
        var rankX = workspace.RankX(n);
        var rankY = workspace.RankY(n);

        var yTies = DenseRanks(y, keys, orderY, rankY, workspace, out var distinctY);
        var xTies = DenseRanks(x, keys, orderX, rankX, workspace, out var distinctX);

        // Stable counting sort of the y-ordered pairs by x rank gives the lexicographic (x, y) order in O(n).
        // groupEnd[g] starts as the first position of x group g and ends as one past its last.
        var groupEnd = orderX[..distinctX];
        groupEnd.Clear();
        foreach (var r in rankX)
        {
            groupEnd[r]++;
        }

        var running = 0;
        for (var g = 0; g < distinctX; g++)
        {
            var size = groupEnd[g];
            groupEnd[g] = running;
            running += size;
        }

        var sequence = workspace.Sequence(n);
        foreach (var i in orderY)
        {
            sequence[groupEnd[rankX[i]]++] = rankY[i];
        }

        // Pairs tied in both: runs of equal y rank inside each x group (y is ascending there).
        long jointTies = 0;
        for (int g = 0, start = 0; g < distinctX; start = groupEnd[g], g++)
        {
            jointTies += TiedPairsInSortedRuns(sequence[start..groupEnd[g]]);
        }

        var discordant = CountInversions(sequence, workspace.Buffer(n));
        return new KendallCounts(n, xTies, yTies, jointTies, discordant, distinctX, distinctY);
    }

    /// <summary>
    /// Writes 0-based dense ranks of <paramref name="values"/> to <paramref name="ranks"/>, leaves the sorting
    /// permutation in <paramref name="order"/>, and returns the number of tied pairs Σ t(t−1)/2.
    /// </summary>
    private static long DenseRanks(ReadOnlySpan<double> values, Span<double> keys, Span<int> order, Span<int> ranks, CorrelationWorkspace workspace, out int distinct)
    {
        var n = values.Length;
        RadixSort.Sort(values, keys, order, workspace);

        long ties = 0;
        var dense = 0;
        for (var start = 0; start < n; dense++)
        {
            var end = start + 1;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }

            long t = end - start;
            ties += t * (t - 1) / 2;
            for (var k = start; k < end; k++)
            {
                ranks[order[k]] = dense;
            }

            start = end;
        }

        distinct = dense;
        return ties;
    }

    private static long TiedPairsInSortedRuns(ReadOnlySpan<int> sorted)
    {
        long ties = 0;
        for (var start = 0; start < sorted.Length;)
        {
            var end = start + 1;
            while (end < sorted.Length && sorted[end] == sorted[start])
            {
                end++;
            }

            long t = end - start;
            ties += t * (t - 1) / 2;
            start = end;
        }

        return ties;
    }

    /// <summary>
    /// Number of pairs i &lt; j with <c>a[i] &gt; a[j]</c> (equal values are not inversions). Sorts
    /// <paramref name="a"/> (the result may end in either span); O(n log n) bottom-up merge sort.
    /// </summary>
    internal static long CountInversions(Span<int> a, Span<int> buffer)
    {
        var n = a.Length;
        long inversions = 0;

        for (var lo = 0; lo < n; lo += InsertionRun)
        {
            var hi = Math.Min(lo + InsertionRun, n);
            for (var i = lo + 1; i < hi; i++)
            {
                var v = a[i];
                var j = i - 1;
                while (j >= lo && a[j] > v)
                {
                    a[j + 1] = a[j];
                    j--;
                    inversions++;
                }

                a[j + 1] = v;
            }
        }

        var source = a;
        var target = buffer;
        for (var width = InsertionRun; width < n; width *= 2)
        {
            for (var lo = 0; lo < n; lo += 2 * width)
            {
                var mid = Math.Min(lo + width, n);
                var hi = Math.Min(lo + (2 * width), n);
                inversions += Merge(source, lo, mid, hi, target);
            }

            var swap = source;
            source = target;
            target = swap;
        }

        return inversions;
    }

    private static long Merge(ReadOnlySpan<int> source, int lo, int mid, int hi, Span<int> target)
    {
        long inversions = 0;
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi)
        {
            if (source[j] < source[i])
            {
                // source[j] precedes every remaining left element in the output: one inversion with each.
                inversions += mid - i;
                target[k++] = source[j++];
            }
            else
            {
                target[k++] = source[i++];
            }
        }

        source[i..mid].CopyTo(target[k..]);
        k += mid - i;
        source[j..hi].CopyTo(target[k..]);
        return inversions;
    }
}
