namespace GradSign.Search;

/// <summary>
/// The population of aging evolution: a FIFO of fixed capacity, so adding to a full population removes the oldest member
/// (not the worst — that is what "regularised" means).
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
/// <threadsafety>Not thread-safe.</threadsafety>
internal sealed class AgingPopulation<TArch>
    where TArch : notnull
{
    private readonly Queue<SearchStep<TArch>> _members;

    /// <summary>Creates an empty population.</summary>
    /// <param name="capacity">Maximum size, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> below 1.</exception>
    public AgingPopulation(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _members = new Queue<SearchStep<TArch>>(capacity);
    }

    /// <summary>Maximum size.</summary>
    public int Capacity { get; }

    /// <summary>Current size.</summary>
    public int Count => _members.Count;

    /// <summary>Members from oldest to youngest.</summary>
    public IReadOnlyList<SearchStep<TArch>> Members => [.. _members];

    /// <summary>Adds a trained member; when full, the oldest is removed first and returned.</summary>
    /// <param name="arch">The architecture.</param>
    /// <param name="signal">Its search signal.</param>
    /// <returns>The removed oldest member, or null when there was room.</returns>
    public SearchStep<TArch>? Add(TArch arch, double signal)
    {
        SearchStep<TArch>? removed = _members.Count == Capacity ? _members.Dequeue() : null;
        _members.Enqueue(new SearchStep<TArch>(arch, signal));
        return removed;
    }

    /// <summary>Tournament selection: draws <paramref name="sampleSize"/> members uniformly with replacement and returns the best (first drawn among ties).</summary>
    /// <param name="sampleSize">Members drawn, at least 1.</param>
    /// <param name="random">Random source.</param>
    /// <returns>The parent.</returns>
    /// <exception cref="InvalidOperationException">The population is empty.</exception>
    public TArch Tournament(int sampleSize, SearchRandom random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleSize, 1);
        ArgumentNullException.ThrowIfNull(random);
        if (_members.Count == 0)
        {
            throw new InvalidOperationException("Tournament on an empty population.");
        }

        var members = _members.ToArray();
        var best = members[random.NextInt(members.Length)];
        for (var i = 1; i < sampleSize; i++)
        {
            var candidate = members[random.NextInt(members.Length)];
            if (candidate.Signal > best.Signal)
            {
                best = candidate;
            }
        }

        return best.Arch;
    }
}
