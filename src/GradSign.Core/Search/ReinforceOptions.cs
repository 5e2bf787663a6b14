namespace GradSign.Search;

/// <summary>
/// Settings of <see cref="Reinforce{TArch}"/>; defaults follow NAS-Bench-201's <c>reinforce.py</c> runs (Adam, learning
/// rate 0.001, EMA baseline momentum 0.9, logits initialised as 0.001·N(0, 1)).
/// </summary>
/// <param name="LearningRate">Adam step size, positive.</param>
/// <param name="BaselineMomentum">Momentum of the bias-corrected moving-average reward baseline, in [0, 1).</param>
/// <param name="InitialScale">Standard deviation of the initial logits, non-negative.</param>
public sealed record ReinforceOptions(double LearningRate = 0.001, double BaselineMomentum = 0.9, double InitialScale = 1e-3)
{
    /// <summary>The defaults.</summary>
    public static ReinforceOptions Default { get; } = new();

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value out of range (named).</exception>
    public void Validate()
    {
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "Learning rate must be positive and finite.");
        }

        if (!(BaselineMomentum >= 0 && BaselineMomentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(BaselineMomentum), BaselineMomentum, "Baseline momentum must be in [0, 1).");
        }

        if (!(InitialScale >= 0) || double.IsInfinity(InitialScale))
        {
            throw new ArgumentOutOfRangeException(nameof(InitialScale), InitialScale, "Initial logit scale must be non-negative and finite.");
        }
    }
}
