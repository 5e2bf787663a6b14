namespace GradSign.Statistics;

/// <summary>
/// Combines several scores of the same items (e.g. the proxies of an ensemble over a population of architectures) into
/// one ranking score per item, through each score's ranks: <see cref="RankAggregationMethod.MeanRank"/> or
/// <see cref="RankAggregationMethod.LogRank"/>.
/// </summary>
/// <remarks>
/// Each member is ranked on its own (ascending, average ranks for ties, ±∞ as the smallest and largest values), so only
/// the order of a member's values matters. NaN handling (<see cref="NanPolicy"/>): <c>Propagate</c> makes every
/// aggregate NaN when any member holds a NaN (scipy's <c>rankdata</c> default); <c>Omit</c> leaves the items with a NaN in
/// any member out (their aggregate is NaN) and ranks the others among themselves, n being their number; <c>Throw</c>
/// throws an <see cref="ArgumentException"/> naming the member and item.
/// </remarks>
public static class RankAggregation
{
    /// <summary>The mean rank of every item over the members (NaN propagates).</summary>
    /// <param name="members">One array of scores per member, all of the same length (one value per item).</param>
    /// <returns>One aggregate per item.</returns>
    /// <exception cref="ArgumentException">No member, or members of different lengths.</exception>
    public static double[] MeanRank(params ReadOnlySpan<double[]> members) => Aggregate(RankAggregationMethod.MeanRank, members);

    /// <summary>AZ-NAS's <c>Σ_j log(rank_j / n)</c> of every item over the members (NaN propagates).</summary>
    /// <param name="members">One array of scores per member, all of the same length (one value per item).</param>
    /// <returns>One aggregate per item (0 is the best possible: ranked first by every member).</returns>
    /// <exception cref="ArgumentException">No member, or members of different lengths.</exception>
    public static double[] LogRank(params ReadOnlySpan<double[]> members) => Aggregate(RankAggregationMethod.LogRank, members);

    /// <summary>Aggregates the members' rankings into a new array.</summary>
    /// <param name="method">How ranks are combined.</param>
    /// <param name="members">One array of scores per member, all of the same length.</param>
    /// <param name="nanPolicy">NaN handling (see the class remarks).</param>
    /// <returns>One aggregate per item.</returns>
    /// <exception cref="ArgumentException">No member, members of different lengths, or a NaN under <see cref="NanPolicy.Throw"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="method"/> or <paramref name="nanPolicy"/> is not defined.</exception>
    public static double[] Aggregate(RankAggregationMethod method, ReadOnlySpan<double[]> members, NanPolicy nanPolicy = NanPolicy.Propagate)
    {
        var result = new double[Length(members)];
        Aggregate(method, members, result, nanPolicy);
        return result;
    }

    /// <summary>Aggregates the members' rankings into <paramref name="destination"/>.</summary>
    /// <param name="method">How ranks are combined.</param>
    /// <param name="members">One array of scores per member, all of the same length n.</param>
    /// <param name="destination">At least n values; the first n are written.</param>
    /// <param name="nanPolicy">NaN handling (see the class remarks).</param>
    /// <exception cref="ArgumentException">No member, members of different lengths, a short destination, or a NaN under
    /// <see cref="NanPolicy.Throw"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="method"/> or <paramref name="nanPolicy"/> is not defined.</exception>
    public static void Aggregate(RankAggregationMethod method, ReadOnlySpan<double[]> members, Span<double> destination, NanPolicy nanPolicy = NanPolicy.Propagate)
    {
        if (method is not (RankAggregationMethod.MeanRank or RankAggregationMethod.LogRank))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown RankAggregationMethod.");
        }

        PairedSample.ValidatePolicy(nanPolicy);
        var n = Length(members);
        if (destination.Length < n)
        {
            throw new ArgumentException($"destination has {destination.Length} elements but the members have {n}.", nameof(destination));
        }

        var output = destination[..n];
        var complete = CompleteItems(members, n, nanPolicy);
        if (complete is null)
        {
            output.Fill(double.NaN); // Propagate with a NaN somewhere
            return;
        }

        output.Fill(complete.Length == n ? 0.0 : double.NaN);
        foreach (var i in complete)
        {
            output[i] = 0.0;
        }

        var values = new double[complete.Length];
        var ranks = new double[complete.Length];
        var count = (double)complete.Length;
        foreach (var member in members)
        {
            for (var k = 0; k < complete.Length; k++)
            {
                values[k] = member[complete[k]];
            }

            RankCorrelation.Rank(values, ranks, RankTieMethod.Average, NanPolicy.Throw);
            for (var k = 0; k < complete.Length; k++)
            {
                output[complete[k]] += method == RankAggregationMethod.MeanRank ? ranks[k] : Math.Log(ranks[k] / count);
            }
        }

        if (method == RankAggregationMethod.MeanRank)
        {
            foreach (var i in complete)
            {
                output[i] /= members.Length;
            }
        }
    }

    /// <summary>The common length of the members; throws when there are none or they differ.</summary>
    private static int Length(ReadOnlySpan<double[]> members)
    {
        if (members.Length == 0)
        {
            throw new ArgumentException("Rank aggregation needs at least one member.", nameof(members));
        }

        for (var j = 0; j < members.Length; j++)
        {
            if (members[j] is null)
            {
                throw new ArgumentNullException(nameof(members), $"members[{j}] is null.");
            }

            if (members[j].Length != members[0].Length)
            {
                throw new ArgumentException($"members[{j}] has {members[j].Length} values but members[0] has {members[0].Length}.", nameof(members));
            }
        }

        return members[0].Length;
    }

    /// <summary>The items without a NaN in any member (in order), or null when the policy makes everything NaN.</summary>
    private static int[]? CompleteItems(ReadOnlySpan<double[]> members, int n, NanPolicy nanPolicy)
    {
        var complete = new List<int>(n);
        for (var i = 0; i < n; i++)
        {
            var nan = -1;
            for (var j = 0; j < members.Length && nan < 0; j++)
            {
                nan = double.IsNaN(members[j][i]) ? j : -1;
            }

            if (nan < 0)
            {
                complete.Add(i);
                continue;
            }

            switch (nanPolicy)
            {
                case NanPolicy.Throw:
                    throw new ArgumentException($"members[{nan}][{i}] is NaN (NanPolicy.Throw).", nameof(members));
                case NanPolicy.Propagate:
                    return null;
            }
        }

        return [.. complete];
    }
}
