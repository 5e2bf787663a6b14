namespace GradSign.Search;

/// <summary>Settings of <see cref="RegularizedEvolution{TArch}"/>; defaults are NAS-Bench-201's (population 10, tournament 3).</summary>
/// <param name="Population">Individuals kept alive (the oldest dies each cycle), at least 1.</param>
/// <param name="SampleSize">Tournament size: members drawn (with replacement) to pick a parent, at least 1.</param>
public sealed record RegularizedEvolutionOptions(int Population = 10, int SampleSize = 3)
{
    /// <summary>The defaults.</summary>
    public static RegularizedEvolutionOptions Default { get; } = new();

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value below 1 (named).</exception>
    public void Validate()
    {
        if (Population < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Population), Population, "Population must be at least 1.");
        }

        if (SampleSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SampleSize), SampleSize, "Tournament sample size must be at least 1.");
        }
    }
}
