using GradSign.Data;

namespace GradSign.Cli.Commands;

/// <summary>
/// The command line's data folder rule: <c>--data DIR</c>, else the <c>GRADSIGN_DATA</c> environment variable
/// (<see cref="DataFolder"/>), else <c>../shared/data</c> beside the repository the command runs in (found by walking up
/// from the current directory, then from the program's directory, to the folder holding <c>GradSign.sln</c>).
/// </summary>
internal static class CliDataFolder
{
    /// <summary>The data folder, or null when no rule finds one.</summary>
    /// <param name="option">The <c>--data</c> value, if given (it must exist).</param>
    /// <returns>The full path, or null.</returns>
    /// <exception cref="DirectoryNotFoundException"><c>--data</c> or the environment variable names a missing folder.</exception>
    public static string? TryResolve(string? option)
    {
        try
        {
            if (DataFolder.TryResolve(option) is { } folder)
            {
                return folder;
            }
        }
        catch (DirectoryNotFoundException ex) when (!string.IsNullOrWhiteSpace(option))
        {
            throw new ArgumentException($"--data: {ex.Message}", ex);
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "GradSign.sln")))
                {
                    var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
                    if (Directory.Exists(candidate))
                    {
                        return candidate;
                    }

                    break;
                }
            }
        }

        return null;
    }

    /// <summary>The data folder, or an error saying how to supply one.</summary>
    /// <param name="option">The <c>--data</c> value, if given.</param>
    /// <returns>The full path.</returns>
    /// <exception cref="DirectoryNotFoundException">No rule finds a folder.</exception>
    public static string Resolve(string? option) => TryResolve(option) ?? throw new DirectoryNotFoundException(
        $"No data folder: pass --data DIR, set {DataFolder.EnvironmentVariable}, or place the data at ../shared/data beside the repository root.");
}
