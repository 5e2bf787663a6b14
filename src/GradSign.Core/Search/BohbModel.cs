namespace GradSign.Search;

/// <summary>
/// BOHB's model (Falkner et al. 2018, §3.1 and Algorithm 2): the observations of every budget, and on the largest budget
/// with at least N_min + 2 of them a pair of <see cref="CategoricalKde"/>s — l(x) on the best
/// N_l = max(N_min, ⌊q·N_b⌋) configurations and g(x) on the worst N_g = max(N_min, N_b − N_l) — proposing the one of
/// <see cref="BohbOptions.Samples"/> draws from l with the largest ratio l(x)/g(x) (both floored at 1e-32, as HpBandSter does).
/// </summary>
/// <threadsafety>Not thread-safe.</threadsafety>
internal sealed class BohbModel
{
    /// <summary>Redraws per sample before a draw outside a restricted space is given up.</summary>
    public const int MaxRedraws = 1000;

    private const double DensityFloor = 1e-32;

    private readonly List<(int[] Point, double Signal)>[] _observations;
    private readonly BohbOptions _options;
    private (int Budget, int Count, CategoricalKde Good, CategoricalKde Bad)? _fitted;

    /// <summary>Creates an empty model.</summary>
    /// <param name="dimensions">Categorical dimensions d (edges).</param>
    /// <param name="categories">Categories per dimension (operations).</param>
    /// <param name="budgets">Number of budgets (fidelities).</param>
    /// <param name="options">The settings.</param>
    public BohbModel(int dimensions, int categories, int budgets, BohbOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(categories, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(budgets, 1);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Dimensions = dimensions;
        Categories = categories;
        _options = options;
        MinPoints = options.MinPointsInModel ?? dimensions + 1;
        _observations = new List<(int[], double)>[budgets];
        for (var b = 0; b < budgets; b++)
        {
            _observations[b] = [];
        }
    }

    /// <summary>Dimensions d.</summary>
    public int Dimensions { get; }

    /// <summary>Categories per dimension.</summary>
    public int Categories { get; }

    /// <summary>N_min: the points each density needs at least (default d + 1).</summary>
    public int MinPoints { get; }

    /// <summary>The largest budget with at least N_min + 2 observations, or null while there is none.</summary>
    public int? ModelBudget
    {
        get
        {
            for (var b = _observations.Length - 1; b >= 0; b--)
            {
                if (_observations[b].Count >= MinPoints + 2)
                {
                    return b;
                }
            }

            return null;
        }
    }

    /// <summary>Observations recorded on a budget.</summary>
    public int ObservationCount(int budget) => _observations[budget].Count;

    /// <summary>Records a result.</summary>
    /// <param name="budget">Its budget index.</param>
    /// <param name="point">The configuration (copied).</param>
    /// <param name="signal">Its signal, higher is better; NaN counts as the worst.</param>
    public void Observe(int budget, ReadOnlySpan<int> point, double signal)
    {
        if (point.Length != Dimensions)
        {
            throw new ArgumentException($"Expected {Dimensions} values, got {point.Length}.", nameof(point));
        }

        _observations[budget].Add((point.ToArray(), signal));
    }

    /// <summary>
    /// Splits a budget's observations into the good and bad sets: sorted by signal, best first (NaN last, ties in
    /// observation order), good = the first N_l, bad = the last N_g (they overlap while N_b &lt; 2·N_min).
    /// </summary>
    public (IReadOnlyList<int[]> Good, IReadOnlyList<int[]> Bad) Split(int budget)
    {
        var observations = _observations[budget];
        var n = observations.Count;
        var sorted = observations
            .Select((o, i) => (o.Point, Key: double.IsNaN(o.Signal) ? double.NegativeInfinity : o.Signal, Order: i))
            .OrderByDescending(o => o.Key)
            .ThenBy(o => o.Order)
            .Select(o => o.Point)
            .ToArray();
        var good = Math.Min(n, Math.Max(MinPoints, (int)Math.Floor(_options.TopPercent * n / 100.0)));
        var bad = Math.Min(n, Math.Max(MinPoints, n - good));
        return (sorted[..good], sorted[(n - bad)..]);
    }

    /// <summary>The fitted densities l (good) and g (bad) on <see cref="ModelBudget"/>, or null while there is no model.</summary>
    public (CategoricalKde Good, CategoricalKde Bad)? Densities()
    {
        if (ModelBudget is not { } budget)
        {
            return null;
        }

        var count = _observations[budget].Count;
        if (_fitted is not { } f || f.Budget != budget || f.Count != count)
        {
            var (good, bad) = Split(budget);
            _fitted = (budget, count, new CategoricalKde(good, Categories, _options.MinBandwidth), new CategoricalKde(bad, Categories, _options.MinBandwidth));
        }

        return (_fitted.Value.Good, _fitted.Value.Bad);
    }

    /// <summary>
    /// BOHB's model-based proposal: <see cref="BohbOptions.Samples"/> draws from l (each redrawn until
    /// <paramref name="accept"/> holds, at most <see cref="MaxRedraws"/> times), the one with the largest l(x)/g(x) (first
    /// among ties). Null when there is no model or no draw was accepted.
    /// </summary>
    /// <param name="random">Random source.</param>
    /// <param name="accept">Which points are allowed (e.g. inside a restricted space).</param>
    /// <returns>The proposal, or null.</returns>
    public int[]? Propose(SearchRandom random, Func<int[], bool> accept)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(accept);
        if (Densities() is not { } densities)
        {
            return null;
        }

        var (good, bad) = densities;

        int[]? best = null;
        var bestRatio = double.NegativeInfinity;
        var draw = new int[Dimensions];
        for (var s = 0; s < _options.Samples; s++)
        {
            var accepted = false;
            for (var attempt = 0; attempt < MaxRedraws && !accepted; attempt++)
            {
                good.Sample(random, draw);
                accepted = accept(draw);
            }

            if (!accepted)
            {
                continue;
            }

            var ratio = Ratio(good, bad, draw);
            if (ratio > bestRatio)
            {
                bestRatio = ratio;
                best = [.. draw];
            }
        }

        return best;
    }

    /// <summary>The acquisition value max(l(x), 1e-32) / max(g(x), 1e-32).</summary>
    public static double Ratio(CategoricalKde good, CategoricalKde bad, ReadOnlySpan<int> x)
        => Math.Max(good.Pdf(x), DensityFloor) / Math.Max(bad.Pdf(x), DensityFloor);
}
