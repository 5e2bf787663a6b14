namespace GradSign.Proxies;

/// <summary>Options of <see cref="ZenScoreProxy"/>. Immutable.</summary>
public sealed record ZenScoreOptions
{
    private readonly double _mixupGamma = 1e-2;
    private readonly int _repeats = 1;

    /// <summary>The reference configuration: γ = 0.01, one repeat, seed derived from the weights.</summary>
    public static ZenScoreOptions Default { get; } = new();

    /// <summary>
    /// Size of the input perturbation: the second input is <c>x + γ·ε</c> (ZenNAS <c>--mixup_gamma</c>, default 1e-2).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not finite and positive.</exception>
    public double MixupGamma
    {
        get => _mixupGamma;
        init => _mixupGamma = double.IsFinite(value) && value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MixupGamma), value, "γ must be finite and positive.");
    }

    /// <summary>
    /// Draws of weights and inputs whose scores are averaged (ZenNAS's search and NASLib use 1; its stand-alone script
    /// 32). BatchNorm running statistics carry over from one repeat to the next, as the reference's modules keep them.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Below 1.</exception>
    public int Repeats
    {
        get => _repeats;
        init => _repeats = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Repeats), value, "At least one repeat.");
    }

    /// <summary>
    /// Seed of the Gaussian weights and inputs. Null (default): derived from the bits of the weights the proxy is given
    /// (which it otherwise ignores), so every initialisation draws its own numbers and the score is still deterministic.
    /// </summary>
    public ulong? Seed { get; init; }
}
