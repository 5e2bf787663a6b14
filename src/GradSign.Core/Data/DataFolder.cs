namespace GradSign.Data;

/// <summary>
/// Finds the folder that holds the benchmark tables and images (see <c>../shared/data/README.md</c>).
/// One rule everywhere: an explicit path (the <c>--data</c> option), else the <c>GRADSIGN_DATA</c> environment
/// variable, else <c>../shared/data</c> beside the repository root (found by walking up from the current
/// directory and from the application's directory to the folder that holds <c>GradSign.sln</c>).
/// </summary>
public static class DataFolder
{
    /// <summary>The environment variable consulted when no explicit path is given.</summary>
    public const string EnvironmentVariable = "GRADSIGN_DATA";

    /// <summary>Resolves the data folder, or returns null when none of the rules finds an existing folder.</summary>
    /// <param name="explicitPath">The <c>--data</c> value, if any. When given it must exist.</param>
    /// <returns>The full path, or null.</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="explicitPath"/> or the environment variable names a folder that does not exist.</exception>
    public static string? TryResolve(string? explicitPath = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return Directory.Exists(explicitPath)
                ? Path.GetFullPath(explicitPath)
                : throw new DirectoryNotFoundException($"Data folder '{explicitPath}' (from --data) does not exist.");
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Directory.Exists(fromEnvironment)
                ? Path.GetFullPath(fromEnvironment)
                : throw new DirectoryNotFoundException($"Data folder '{fromEnvironment}' (from {EnvironmentVariable}) does not exist.");
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

    /// <summary>Resolves the data folder or throws with a message that says how to supply it.</summary>
    /// <param name="explicitPath">The <c>--data</c> value, if any.</param>
    /// <returns>The full path.</returns>
    /// <exception cref="DirectoryNotFoundException">No data folder was found.</exception>
    public static string Resolve(string? explicitPath = null)
        => TryResolve(explicitPath) ?? throw new DirectoryNotFoundException(
            $"No data folder: pass --data DIR, set {EnvironmentVariable}, or place the data at ../shared/data beside the repository root.");
}
