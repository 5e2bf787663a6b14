namespace GradSign.Internal;

/// <summary>
/// A small, fully specified pseudo-random generator (SplitMix64) so that seeded results never depend on the
/// runtime's <see cref="Random"/> implementation.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;
    private double? _spare;

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer on [0, maxExclusive), without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        var bound = (ulong)maxExclusive;
        var limit = ulong.MaxValue - (ulong.MaxValue % bound);
        ulong r;
        do
        {
            r = NextUInt64();
        }
        while (r >= limit);
        return (int)(r % bound);
    }

    /// <summary>Standard normal (Box–Muller, polar form).</summary>
    public double NextGaussian()
    {
        if (_spare is { } s)
        {
            _spare = null;
            return s;
        }

        double u, v, q;
        do
        {
            u = (2 * NextDouble()) - 1;
            v = (2 * NextDouble()) - 1;
            q = (u * u) + (v * v);
        }
        while (q >= 1 || q == 0);
        var f = Math.Sqrt(-2 * Math.Log(q) / q);
        _spare = v * f;
        return u * f;
    }
}
