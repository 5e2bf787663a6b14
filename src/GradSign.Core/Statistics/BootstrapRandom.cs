namespace GradSign.Statistics;

/// <summary>
/// SplitMix64 (Steele, Lea &amp; Flood 2014), private to the statistics module so that it depends on no other
/// GradSign namespace. Fully specified, so a seed gives the same resamples on every runtime and machine.
/// </summary>
internal sealed class BootstrapRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias (rejection sampling).</summary>
    public int NextInt(int maxExclusive)
    {
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
}
