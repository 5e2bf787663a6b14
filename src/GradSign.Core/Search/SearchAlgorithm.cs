namespace GradSign.Search;

/// <summary>The built-in search algorithms.</summary>
public enum SearchAlgorithm
{
    /// <summary>Random search, id <c>rs</c> (<see cref="RandomSearch{TArch}"/>).</summary>
    RandomSearch,

    /// <summary>Regularised (aging) evolution, id <c>rea</c> (<see cref="RegularizedEvolution{TArch}"/>).</summary>
    RegularizedEvolution,

    /// <summary>REINFORCE, id <c>reinforce</c> (<see cref="Reinforce{TArch}"/>).</summary>
    Reinforce,

    /// <summary>BOHB (Bayesian optimisation with Hyperband), id <c>bohb</c> (<see cref="Bohb{TArch}"/>).</summary>
    Bohb,
}

/// <summary>Ids of <see cref="SearchAlgorithm"/>.</summary>
public static class SearchAlgorithms
{
    /// <summary>The ids in enum order.</summary>
    public static IReadOnlyList<string> Ids { get; } = ["rs", "rea", "reinforce", "bohb"];

    /// <summary>The id of an algorithm.</summary>
    /// <param name="algorithm">The algorithm.</param>
    /// <returns><c>rs</c>, <c>rea</c>, <c>reinforce</c> or <c>bohb</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Undefined value.</exception>
    public static string ToId(this SearchAlgorithm algorithm) => (uint)algorithm < (uint)Ids.Count
        ? Ids[(int)algorithm]
        : throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown search algorithm.");

    /// <summary>Parses an id (case-insensitive).</summary>
    /// <param name="id">The id.</param>
    /// <returns>The algorithm.</returns>
    /// <exception cref="ArgumentException">Unknown id (named, with the valid ones).</exception>
    public static SearchAlgorithm Parse(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        for (var i = 0; i < Ids.Count; i++)
        {
            if (string.Equals(Ids[i], id, StringComparison.OrdinalIgnoreCase))
            {
                return (SearchAlgorithm)i;
            }
        }

        throw new ArgumentException($"Unknown search algorithm '{id}'; expected one of {string.Join(", ", Ids)}.", nameof(id));
    }

    /// <summary>Creates the searcher with the given settings.</summary>
    /// <typeparam name="TArch">The architecture type.</typeparam>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="evolution">Evolution settings (default NAS-Bench-201's).</param>
    /// <param name="reinforce">REINFORCE settings (default NAS-Bench-201's).</param>
    /// <param name="bohb">BOHB settings (default NAS-Bench-201's).</param>
    /// <returns>The searcher.</returns>
    public static ISearcher<TArch> Create<TArch>(SearchAlgorithm algorithm, RegularizedEvolutionOptions? evolution = null, ReinforceOptions? reinforce = null, BohbOptions? bohb = null)
        where TArch : notnull => algorithm switch
        {
            SearchAlgorithm.RandomSearch => new RandomSearch<TArch>(),
            SearchAlgorithm.RegularizedEvolution => new RegularizedEvolution<TArch>(evolution),
            SearchAlgorithm.Reinforce => new Reinforce<TArch>(reinforce),
            SearchAlgorithm.Bohb => new Bohb<TArch>(bohb),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown search algorithm."),
        };
}
