using GradSign.Internal;

namespace GradSign.Search;

/// <summary>
/// The seeded random source of a search (SplitMix64, so a seed gives the same run on every runtime). One instance per
/// run; not shared between threads.
/// </summary>
/// <threadsafety>Not thread-safe.</threadsafety>
public sealed class SearchRandom
{
    private readonly SplitMix64 _generator;

    /// <summary>Creates a generator.</summary>
    /// <param name="seed">The seed.</param>
    public SearchRandom(ulong seed)
    {
        Seed = seed;
        _generator = new SplitMix64(seed);
    }

    /// <summary>The seed this generator started from.</summary>
    public ulong Seed { get; }

    /// <summary>
    /// The seed of run <paramref name="run"/> of an experiment seeded with <paramref name="seed"/>: one SplitMix64 step of
    /// <c>seed + run·golden</c>, so neighbouring runs get unrelated streams.
    /// </summary>
    /// <param name="seed">The experiment's seed.</param>
    /// <param name="run">Run number, 0-based.</param>
    /// <returns>The run's seed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="run"/> is negative.</exception>
    public static ulong RunSeed(ulong seed, int run)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(run);
        return new SplitMix64(unchecked(seed + ((ulong)run * 0xD1B54A32D192ED03UL))).NextUInt64();
    }

    /// <summary>Uniform integer on [0, <paramref name="maxExclusive"/>).</summary>
    /// <param name="maxExclusive">Positive bound.</param>
    /// <returns>The integer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is not positive.</exception>
    public int NextInt(int maxExclusive) => _generator.NextInt(maxExclusive);

    /// <summary>Uniform on [0, 1).</summary>
    /// <returns>The number.</returns>
    public double NextDouble() => _generator.NextDouble();

    /// <summary>Standard normal.</summary>
    /// <returns>The number.</returns>
    public double NextGaussian() => _generator.NextGaussian();

    /// <summary>A uniformly chosen element.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="items">Non-empty list.</param>
    /// <returns>The element.</returns>
    /// <exception cref="ArgumentException">The list is empty.</exception>
    public T Choose<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new ArgumentException("Cannot choose from an empty list.", nameof(items));
        }

        return items[NextInt(items.Count)];
    }
}
