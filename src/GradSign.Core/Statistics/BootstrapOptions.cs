namespace GradSign.Statistics;

/// <summary>Settings of a percentile bootstrap (immutable; pass explicitly).</summary>
public sealed record BootstrapOptions
{
    /// <summary>The defaults: 1000 resamples, 95% confidence, seed 0, NaN propagates.</summary>
    public static BootstrapOptions Default { get; } = new();

    /// <summary>Number of bootstrap resamples (default 1000); at least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value below 1.</exception>
    public int Resamples
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(Resamples));
            field = value;
        }
    } = 1000;

    /// <summary>Nominal two-sided coverage, strictly between 0 and 1 (default 0.95).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value outside (0, 1) or NaN.</exception>
    public double Confidence
    {
        get;
        init
        {
            if (!(value > 0 && value < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(Confidence), value, "Confidence must lie strictly between 0 and 1.");
            }

            field = value;
        }
    } = 0.95;

    /// <summary>Seed of the resampling generator; the same seed and data give the same interval everywhere (default 0).</summary>
    public ulong Seed { get; init; }

    /// <summary>NaN handling (default <see cref="NanPolicy.Propagate"/>); under <see cref="NanPolicy.Omit"/> incomplete
    /// pairs are dropped before resampling.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to an undefined value.</exception>
    public NanPolicy NanPolicy
    {
        get;
        init
        {
            PairedSample.ValidatePolicy(value, nameof(NanPolicy));
            field = value;
        }
    }
}
