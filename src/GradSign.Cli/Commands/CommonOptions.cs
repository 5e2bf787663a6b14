using System.CommandLine;

namespace GradSign.Cli.Commands;

/// <summary>Options shared by several commands, created fresh for each command.</summary>
internal static class CommonOptions
{
    /// <summary><c>--data DIR</c>: the data folder (<see cref="CliDataFolder"/>).</summary>
    public static Option<string?> Data() => new("--data")
    {
        Description = "Data folder (default: $GRADSIGN_DATA, else ../shared/data beside the repository root)",
    };

    /// <summary><c>--json</c>: print machine-readable JSON.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print JSON" };

    /// <summary>Checks a <c>--threads</c> value: a positive number of threads, or −1 for all cores.</summary>
    /// <param name="value">The value.</param>
    /// <param name="option">The option's name.</param>
    /// <returns><paramref name="value"/>.</returns>
    /// <exception cref="ArgumentException">0 or below −1.</exception>
    public static int Threads(int value, string option)
        => value is -1 or > 0 ? value : throw new ArgumentException($"{option} {value} must be a positive number of threads or -1 (all cores).");

    /// <summary>
    /// Runs a step that validates options records (network sizes, search settings) and renames their fields in its range
    /// errors to the command-line options (<c>Channels</c> → <c>--channels</c>), so the message names what to change.
    /// </summary>
    /// <typeparam name="T">What the step returns.</typeparam>
    /// <param name="build">The step.</param>
    /// <returns>Its result.</returns>
    /// <exception cref="ArgumentException">A size is out of range (the option and the value named).</exception>
    public static T WithOptionNames<T>(Func<T> build)
    {
        try
        {
            return build();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            var option = ex.ParamName switch
            {
                "Channels" => "--channels",
                "CellsPerStage" => "--cells",
                "NumClasses" => "--classes",
                "InputSize" => "--input-size",
                "StemChannels" => "--stem",
                "Stacks" => "--stacks",
                "CellsPerStack" => "--cells-per-stack",
                "Runs" => "--runs",
                "Budget" => "--budget",
                "Population" => "--population",
                "SampleSize" => "--sample-size",
                "LearningRate" => "--learning-rate",
                "Candidates" => "--candidates",
                "Warmup" => "--warmup",
                "WarmupTake" => "--warmup-take",
                var other => other ?? "an option",
            };
            throw new ArgumentException($"{option}: {CliText.Describe(ex)}", ex);
        }
    }
}
