using Microsoft.Extensions.Logging;

namespace GradSign.Cli.Studies;

/// <summary>Loads a study's cells by its space id, as <c>correlate --space</c> names it and results files record it.</summary>
internal static class StudyTables
{
    /// <summary>Parses a space id (case-insensitive).</summary>
    /// <param name="text">The id, e.g. <c>nb101</c>.</param>
    /// <returns>The space.</returns>
    /// <exception cref="ArgumentException">Not <c>nb201</c> or <c>nb101</c> (the value is named).</exception>
    public static StudySpace Parse(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "nb201" => StudySpace.Nb201,
        "nb101" => StudySpace.Nb101,
        _ => throw new ArgumentException($"--space '{CliText.Clip(text)}' must be nb201 or nb101."),
    };

    /// <summary>Loads the cells of a space from the data folder: NAS-Bench-201's table, or the NAS-Bench-101 sample's distinct cells.</summary>
    /// <param name="space">The space.</param>
    /// <param name="dataFolder">Data folder.</param>
    /// <param name="logger">Optional logger.</param>
    /// <returns>The cells.</returns>
    public static IStudyTable Load(StudySpace space, string dataFolder, ILogger? logger = null) => space == StudySpace.Nb101
        ? NasBench101StudyTable.LoadDefault(dataFolder, logger)
        : NasBench201StudyTable.LoadDefault(dataFolder, logger);

    /// <summary>Checks that <paramref name="column"/>, a <c>--target</c> value, is a column of <paramref name="table"/>.</summary>
    /// <param name="table">The cells.</param>
    /// <param name="column">The target column.</param>
    /// <param name="paramName">The caller's parameter that carries <paramref name="column"/>, if any.</param>
    /// <exception cref="ArgumentException">It is not (the value and the table's columns are named).</exception>
    public static void RequireTarget(IStudyTable table, string column, string? paramName = null)
    {
        if (!table.HasColumn(column))
        {
            throw new ArgumentException($"--target '{CliText.Clip(column)}' is not a column of {table.Source}; columns: {string.Join(", ", table.Columns)}.", paramName);
        }
    }
}
