namespace GradSign.Search;

/// <summary>
/// BOHB's multivariate kernel density estimator for unordered categorical vectors (statsmodels' <c>KDEMultivariate</c>
/// with <c>var_type='u…u'</c>, as HpBandSter fits it): a product of Aitchison–Aitken kernels averaged over the data,
/// <code>
/// p(x) = (1/n) Σᵢ Πⱼ K(xⱼ, Xᵢⱼ; λⱼ),   K(a, b; λ) = 1 − λ if a = b, else λ / (c − 1)
/// </code>
/// with c categories per dimension. The bandwidths follow the normal reference rule that BOHB uses,
/// <c>λⱼ = 1.06·σⱼ·n^(−1/(4+d))</c> (σⱼ the population standard deviation of the category codes in column j, d the number
/// of dimensions), floored at a minimum bandwidth and capped at (c − 1)/c, where the kernel becomes uniform.
/// <para>Two deliberate differences from statsmodels: c is the true number of categories (statsmodels counts the distinct
/// values present in the data, which divides by zero when a column holds one value), and the cap (the rule can exceed 1 on
/// codes spread over 0–4, where statsmodels' kernel turns negative).</para>
/// </summary>
/// <threadsafety>Immutable; <see cref="Sample"/> uses the caller's random source.</threadsafety>
internal sealed class CategoricalKde
{
    private readonly int[][] _data;
    private readonly double[] _bandwidths;

    /// <summary>Fits the estimator.</summary>
    /// <param name="data">The points, at least one, each of the same length d ≥ 1 with values in [0, <paramref name="categories"/>).</param>
    /// <param name="categories">Categories per dimension, at least 2.</param>
    /// <param name="minBandwidth">Floor of every bandwidth, in [0, 1).</param>
    /// <exception cref="ArgumentException">No data, ragged rows, or a value out of range (named).</exception>
    public CategoricalKde(IReadOnlyList<int[]> data, int categories, double minBandwidth)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(categories, 2);
        if (!(minBandwidth >= 0 && minBandwidth < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(minBandwidth), minBandwidth, "Minimum bandwidth must be in [0, 1).");
        }

        if (data.Count == 0 || data[0] is null || data[0].Length == 0)
        {
            throw new ArgumentException("A KDE needs at least one point of at least one dimension.", nameof(data));
        }

        Categories = categories;
        Dimensions = data[0].Length;
        _data = new int[data.Count][];
        for (var i = 0; i < data.Count; i++)
        {
            var row = data[i];
            if (row is null || row.Length != Dimensions)
            {
                throw new ArgumentException($"Point {i} has {row?.Length ?? 0} dimensions; expected {Dimensions}.", nameof(data));
            }

            foreach (var v in row)
            {
                if ((uint)v >= (uint)categories)
                {
                    throw new ArgumentException($"Point {i} holds category {v}, outside [0, {categories}).", nameof(data));
                }
            }

            _data[i] = [.. row];
        }

        _bandwidths = new double[Dimensions];
        for (var j = 0; j < Dimensions; j++)
        {
            _bandwidths[j] = Bandwidth(NormalReference(_data, j), minBandwidth, categories);
        }
    }

    /// <summary>Categories per dimension.</summary>
    public int Categories { get; }

    /// <summary>Dimensions d.</summary>
    public int Dimensions { get; }

    /// <summary>Number of points n.</summary>
    public int Count => _data.Length;

    /// <summary>The bandwidth λⱼ of each dimension.</summary>
    public IReadOnlyList<double> Bandwidths => _bandwidths;

    /// <summary>The normal-reference rule on column <paramref name="column"/>: 1.06·σ·n^(−1/(4+d)), σ with divisor n.</summary>
    public static double NormalReference(IReadOnlyList<int[]> data, int column)
    {
        var n = data.Count;
        var d = data[0].Length;
        var mean = 0.0;
        foreach (var row in data)
        {
            mean += row[column];
        }

        mean /= n;
        var variance = 0.0;
        foreach (var row in data)
        {
            variance += (row[column] - mean) * (row[column] - mean);
        }

        return 1.06 * Math.Sqrt(variance / n) * Math.Pow(n, -1.0 / (4 + d));
    }

    /// <summary>A raw bandwidth floored at <paramref name="minBandwidth"/> and capped at the uniform kernel's (c − 1)/c.</summary>
    public static double Bandwidth(double raw, double minBandwidth, int categories)
        => Math.Min(Math.Max(raw, minBandwidth), (categories - 1.0) / categories);

    /// <summary>The Aitchison–Aitken kernel K(a, b; λ) of dimension <paramref name="dimension"/>.</summary>
    public double Kernel(int a, int b, int dimension)
    {
        var lambda = _bandwidths[dimension];
        return a == b ? 1 - lambda : lambda / (Categories - 1);
    }

    /// <summary>The density at <paramref name="x"/>.</summary>
    /// <param name="x">A point of <see cref="Dimensions"/> values.</param>
    /// <returns>p(x).</returns>
    /// <exception cref="ArgumentException">Wrong length.</exception>
    public double Pdf(ReadOnlySpan<int> x)
    {
        if (x.Length != Dimensions)
        {
            throw new ArgumentException($"Expected a point of {Dimensions} values, got {x.Length}.", nameof(x));
        }

        var sum = 0.0;
        foreach (var row in _data)
        {
            var product = 1.0;
            for (var j = 0; j < Dimensions; j++)
            {
                product *= Kernel(x[j], row[j], j);
            }

            sum += product;
        }

        return sum / _data.Length;
    }

    /// <summary>
    /// Draws from the estimator: a uniformly chosen point, then in every dimension its value is kept with probability 1 − λⱼ,
    /// else replaced by one of the c − 1 other categories uniformly — exactly the kernel's distribution.
    /// </summary>
    /// <param name="random">Random source.</param>
    /// <param name="destination">Receives <see cref="Dimensions"/> values.</param>
    /// <exception cref="ArgumentException">Wrong length.</exception>
    public void Sample(SearchRandom random, Span<int> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (destination.Length != Dimensions)
        {
            throw new ArgumentException($"Expected a destination of {Dimensions} values, got {destination.Length}.", nameof(destination));
        }

        var row = _data[random.NextInt(_data.Length)];
        for (var j = 0; j < Dimensions; j++)
        {
            if (random.NextDouble() < 1 - _bandwidths[j])
            {
                destination[j] = row[j];
            }
            else
            {
                var other = random.NextInt(Categories - 1);
                destination[j] = other < row[j] ? other : other + 1;
            }
        }
    }
}
