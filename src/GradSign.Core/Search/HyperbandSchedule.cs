namespace GradSign.Search;

/// <summary>One rung of a successive-halving bracket: how many configurations are trained at which rung of the ladder.</summary>
/// <param name="Rung">Index into <see cref="HyperbandSchedule.Budgets"/> (0 = the smallest budget).</param>
/// <param name="Configurations">Configurations trained at this rung.</param>
internal readonly record struct HyperbandRung(int Rung, int Configurations);

/// <summary>A successive-halving bracket of Hyperband: its index s and its rungs, from the smallest budget up.</summary>
/// <param name="S">The bracket index s (s + 1 rungs; s = s_max is the most aggressive bracket).</param>
/// <param name="Rungs">Its rungs, smallest budget first; each keeps the best ⌊n/η⌋ of the previous one.</param>
internal sealed record HyperbandBracket(int S, IReadOnlyList<HyperbandRung> Rungs);

/// <summary>
/// Hyperband's bracket schedule (Li et al. 2018, JMLR, Algorithm 1) over a ladder of budgets. With s_max + 1 budgets, bracket
/// s (s = s_max, …, 0) starts <c>n = ⌈(s_max + 1)·η^s / (s + 1)⌉</c> configurations on budget index s_max − s and runs
/// successive halving: rung i trains <c>⌊n·η^−i⌋</c> configurations on budget index s_max − s + i, the best of the
/// previous rung. Iterations cycle through the brackets from s_max down to 0, as HpBandSter's BOHB does.
/// <para>HpBandSter starts <c>⌊(s_max + 1)/(s + 1)⌋·η^s</c> configurations instead; the two agree whenever
/// (s_max + 1)/(s + 1) is an integer, e.g. for two budgets.</para>
/// </summary>
/// <threadsafety>Immutable.</threadsafety>
internal sealed class HyperbandSchedule
{
    private readonly double[] _budgets;
    private readonly HyperbandBracket[] _brackets;

    /// <summary>Creates the schedule over a given ladder.</summary>
    /// <param name="budgets">The budgets, positive and strictly ascending (the rungs need not be η apart).</param>
    /// <param name="eta">The halving rate η, at least 2.</param>
    /// <exception cref="ArgumentException">An empty or unordered ladder.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="eta"/> below 2.</exception>
    public HyperbandSchedule(IReadOnlyList<double> budgets, int eta)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        ArgumentOutOfRangeException.ThrowIfLessThan(eta, 2);
        if (budgets.Count == 0)
        {
            throw new ArgumentException("The budget ladder is empty.", nameof(budgets));
        }

        for (var i = 0; i < budgets.Count; i++)
        {
            if (!(budgets[i] > 0) || double.IsInfinity(budgets[i]) || (i > 0 && !(budgets[i] > budgets[i - 1])))
            {
                throw new ArgumentException($"Budget {i} is {budgets[i]}; budgets must be positive, finite and strictly ascending.", nameof(budgets));
            }
        }

        if (Math.Pow(eta, budgets.Count - 1) * budgets.Count > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(budgets), budgets.Count, $"{budgets.Count} rungs with η = {eta} overflow the configuration counts.");
        }

        Eta = eta;
        _budgets = [.. budgets];
        MaxS = budgets.Count - 1;
        _brackets = new HyperbandBracket[MaxS + 1];
        for (var s = MaxS; s >= 0; s--)
        {
            long etaS = (long)Math.Pow(eta, s);
            // ⌈(s_max + 1)·η^s / (s + 1)⌉ in integers.
            var n = (((MaxS + 1) * etaS) + s) / (s + 1);
            var rungs = new HyperbandRung[s + 1];
            long divisor = 1;
            for (var i = 0; i <= s; i++, divisor *= eta)
            {
                rungs[i] = new HyperbandRung(MaxS - s + i, (int)Math.Max(1, n / divisor));
            }

            _brackets[MaxS - s] = new HyperbandBracket(s, rungs);
        }
    }

    /// <summary>The halving rate η.</summary>
    public int Eta { get; }

    /// <summary>s_max: the number of budgets minus one.</summary>
    public int MaxS { get; }

    /// <summary>The budget ladder, ascending.</summary>
    public IReadOnlyList<double> Budgets => _budgets;

    /// <summary>The brackets in iteration order (s = s_max first).</summary>
    public IReadOnlyList<HyperbandBracket> Brackets => _brackets;

    /// <summary>
    /// Hyperband's geometric ladder between <paramref name="minBudget"/> and <paramref name="maxBudget"/>:
    /// s_max = ⌊log_η(max/min)⌋ and budgets max·η^−k, k = s_max, …, 0 (so the smallest is at least
    /// <paramref name="minBudget"/>), as HpBandSter computes them.
    /// </summary>
    /// <param name="minBudget">Smallest budget wanted, positive.</param>
    /// <param name="maxBudget">Largest budget, at least <paramref name="minBudget"/>.</param>
    /// <param name="eta">The halving rate, at least 2.</param>
    /// <returns>The schedule.</returns>
    public static HyperbandSchedule Geometric(double minBudget, double maxBudget, int eta)
    {
        if (!(minBudget > 0) || !(maxBudget >= minBudget) || double.IsInfinity(maxBudget))
        {
            throw new ArgumentOutOfRangeException(nameof(minBudget), minBudget, $"Need 0 < min budget ≤ max budget ({maxBudget}), both finite.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(eta, 2);
        // Largest s with η^s ≤ max/min; the slack keeps exact powers (81/1 with η = 3) from rounding down.
        var sMax = 0;
        while (Math.Pow(eta, sMax + 1) <= (maxBudget / minBudget) * (1 + 1e-12))
        {
            sMax++;
        }

        var budgets = new double[sMax + 1];
        for (var k = 0; k <= sMax; k++)
        {
            budgets[k] = maxBudget / Math.Pow(eta, sMax - k);
        }

        return new HyperbandSchedule(budgets, eta);
    }

    /// <summary>The bracket of Hyperband iteration <paramref name="iteration"/> (brackets cycle from s = s_max down to 0).</summary>
    /// <param name="iteration">0-based iteration.</param>
    /// <returns>The bracket.</returns>
    public HyperbandBracket Bracket(int iteration)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iteration);
        return _brackets[iteration % _brackets.Length];
    }
}
