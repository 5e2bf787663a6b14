using System.Text;

namespace GradSign.Networks;

/// <summary>
/// Identifies an architecture's random draws in a scoring run. With the run's 64-bit seed it alone fixes the
/// architecture's initial weights (<see cref="NetworkWeights.Initialize(NetworkSpec, ulong, ArchitectureKey)"/>) and
/// its batch (<c>BatchSampler.GetBatch</c>), so the same architecture and seed give the same scores whichever other
/// architectures are scored, in whatever order, from the command line, a study or a program.
/// </summary>
/// <remarks>
/// Built from the architecture's canonical name (<see cref="FromName"/>); a NAS-Bench-201 cell's key is
/// <c>NasBench201Cell.Key</c>, the key of its canonical architecture string. It is deliberately not an
/// <see cref="int"/>: a position in a list or a benchmark index cannot be passed where a key is meant.
/// </remarks>
/// <param name="Value">The 64-bit key.</param>
public readonly record struct ArchitectureKey(ulong Value)
{
    private const ulong FnvOffset = 0xCBF29CE484222325UL;
    private const ulong FnvPrime = 0x100000001B3UL;

    /// <summary>The key of a name: the 64-bit FNV-1a hash of its UTF-8 bytes (stable across machines and runs).</summary>
    /// <param name="name">The architecture's canonical name, e.g. a NAS-Bench-201 architecture string.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public static ArchitectureKey FromName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var hash = FnvOffset;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            hash = unchecked((hash ^ b) * FnvPrime);
        }

        return new ArchitectureKey(hash);
    }

    /// <summary>A seed for one random stream of this architecture in a run: a SplitMix64 step of (seed, key, stream), so
    /// neighbouring keys and seeds get unrelated streams.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="stream">Which stream (weights, batch, …), so the architecture's streams are unrelated too.</param>
    /// <returns>The stream's seed.</returns>
    internal ulong StreamSeed(ulong seed, ulong stream)
        => new Internal.SplitMix64(seed ^ unchecked((Value * 0xD1B54A32D192ED03UL) + (stream * 0x9E3779B97F4A7C15UL))).NextUInt64();

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("X16", System.Globalization.CultureInfo.InvariantCulture);
}
