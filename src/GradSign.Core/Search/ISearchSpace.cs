namespace GradSign.Search;

/// <summary>
/// A discrete architecture search space as the searchers see it: uniform samples, single-edit mutations and the full
/// single-edit neighbourhood, and a text encoding. A space may be a restriction of a benchmark's space (e.g. only the
/// cells a proxy table scores); then every method stays inside the restriction.
/// </summary>
/// <typeparam name="TArch">The architecture type (immutable, with value equality).</typeparam>
public interface ISearchSpace<TArch>
    where TArch : notnull
{
    /// <summary>A short name for messages, e.g. <c>nas-bench-201</c>.</summary>
    string Name { get; }

    /// <summary>Number of architectures in the space (restriction applied).</summary>
    int Count { get; }

    /// <summary>Whether an architecture belongs to the space (restriction applied).</summary>
    /// <param name="arch">The architecture.</param>
    /// <returns>True when it does.</returns>
    bool Contains(TArch arch);

    /// <summary>A uniformly random architecture of the space.</summary>
    /// <param name="random">Random source.</param>
    /// <returns>The architecture.</returns>
    TArch Sample(SearchRandom random);

    /// <summary>
    /// A random single-edit neighbour of <paramref name="arch"/> (NAS-Bench-201: one edge's operation replaced by another),
    /// uniform over <see cref="Neighbours"/>. When <paramref name="arch"/> has no neighbour inside the space, a fresh
    /// <see cref="Sample"/> is returned instead (only possible in a restricted space).
    /// </summary>
    /// <param name="arch">The parent.</param>
    /// <param name="random">Random source.</param>
    /// <returns>The child.</returns>
    TArch Mutate(TArch arch, SearchRandom random);

    /// <summary>Every single-edit neighbour of <paramref name="arch"/> inside the space, in a fixed order.</summary>
    /// <param name="arch">The architecture.</param>
    /// <returns>The neighbours (possibly empty in a restricted space).</returns>
    IReadOnlyList<TArch> Neighbours(TArch arch);

    /// <summary>The architecture's text form (NAS-Bench-201: the benchmark's architecture string).</summary>
    /// <param name="arch">The architecture.</param>
    /// <returns>The text.</returns>
    string Encode(TArch arch);

    /// <summary>Parses <see cref="Encode"/>'s text form.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The architecture.</returns>
    /// <exception cref="FormatException">Malformed text.</exception>
    TArch Decode(string text);
}
