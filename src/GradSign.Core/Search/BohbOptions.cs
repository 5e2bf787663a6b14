namespace GradSign.Search;

/// <summary>
/// Settings of <see cref="Bohb{TArch}"/>. Defaults follow NAS-Bench-201's BOHB runs (<c>scripts-search/NAS-Bench-201-algos/BOHB.sh</c>:
/// η = 3, <c>--num_samples 4 --random_fraction 0.0</c>, minimum bandwidth 0.3) with HpBandSter's top 15 % and N_min = d + 1.
/// HpBandSter's own defaults are 64 samples, a random fraction of 1/3 and a minimum bandwidth of 0.001.
/// </summary>
/// <param name="Eta">Halving rate η of successive halving, at least 2: each rung keeps the best 1/η.</param>
/// <param name="Samples">Draws from the good density per model-based proposal (N_s), at least 1.</param>
/// <param name="RandomFraction">Probability ρ that a proposal is drawn uniformly instead of from the model, in [0, 1].</param>
/// <param name="TopPercent">Percentage q of a budget's observations that form the good set, in (0, 100).</param>
/// <param name="MinPointsInModel">N_min, the least points per density (a model needs N_min + 2 observations); null = dimensions + 1.</param>
/// <param name="MinBandwidth">Floor of every kernel bandwidth, in [0, 1) (keeps some exploration when the good points agree).</param>
/// <remarks>
/// BOHB's bandwidth factor widens only continuous dimensions in HpBandSter (categorical draws keep the fitted bandwidth), so
/// it has no counterpart here: every dimension of a cell space is categorical.
/// </remarks>
public sealed record BohbOptions(
    int Eta = 3,
    int Samples = 4,
    double RandomFraction = 0.0,
    double TopPercent = 15,
    int? MinPointsInModel = null,
    double MinBandwidth = 0.3)
{
    /// <summary>The defaults.</summary>
    public static BohbOptions Default { get; } = new();

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value out of range (named).</exception>
    public void Validate()
    {
        if (Eta < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Eta), Eta, "η must be at least 2.");
        }

        if (Samples < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "Samples per proposal must be at least 1.");
        }

        if (!(RandomFraction >= 0 && RandomFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(RandomFraction), RandomFraction, "Random fraction must be in [0, 1].");
        }

        if (!(TopPercent > 0 && TopPercent < 100))
        {
            throw new ArgumentOutOfRangeException(nameof(TopPercent), TopPercent, "Top percentage must be in (0, 100).");
        }

        if (MinPointsInModel is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinPointsInModel), MinPointsInModel, "Minimum points in the model must be at least 1 (or null for dimensions + 1).");
        }

        if (!(MinBandwidth >= 0 && MinBandwidth < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinBandwidth), MinBandwidth, "Minimum bandwidth must be in [0, 1).");
        }
    }
}
