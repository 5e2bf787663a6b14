namespace GradSign.Proxies;

/// <summary>Options of <see cref="ZicoProxy"/>. Immutable.</summary>
public sealed record ZicoOptions
{
    private readonly int _parts = 2;

    /// <summary>The reference configuration: two parts.</summary>
    public static ZicoOptions Default { get; } = new();

    /// <summary>
    /// Into how many consecutive, equal mini-batches the batch is split; the mean and standard deviation of every
    /// weight's gradient are taken over them. The reference scores the first <c>maxbatch</c> = 2 mini-batches of its
    /// loader (SLDGroup/ZiCo <c>evolution_search.py</c>; AZ-NAS <c>batch_iter=2</c>), so 2 (default) with a batch of
    /// twice the reference's batch size reproduces it. At least 2; the batch size must be a multiple.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 2.</exception>
    public int Parts
    {
        get => _parts;
        init => _parts = value >= 2 ? value : throw new ArgumentOutOfRangeException(nameof(Parts), value, "ZiCo needs at least two parts (one part has zero standard deviation everywhere).");
    }
}
