namespace GradSign.Data;

/// <summary>
/// Finds the folder that holds the benchmark tables and images: an explicit path (e.g. a <c>--data</c> option), else the
/// <c>GRADSIGN_DATA</c> environment variable. Applications may add their own fallback (the <c>gradsign</c> command looks
/// beside the repository it runs from).
/// </summary>
public static class DataFolder
{
    /// <summary>The environment variable consulted when no explicit path is given.</summary>
    public const string EnvironmentVariable = "GRADSIGN_DATA";

    /// <summary>Resolves the data folder, or returns null when neither an explicit path nor the environment variable is set.</summary>
    /// <param name="explicitPath">An explicit path, if any. When given it must exist.</param>
    /// <returns>The full path, or null.</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="explicitPath"/> or the environment variable names a folder that does not exist.</exception>
    public static string? TryResolve(string? explicitPath = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return Directory.Exists(explicitPath)
                ? Path.GetFullPath(explicitPath)
                : throw new DirectoryNotFoundException($"Data folder '{explicitPath}' does not exist.");
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Directory.Exists(fromEnvironment)
                ? Path.GetFullPath(fromEnvironment)
                : throw new DirectoryNotFoundException($"Data folder '{fromEnvironment}' (from {EnvironmentVariable}) does not exist.");
        }

        return null;
    }

    /// <summary>Resolves the data folder or throws with a message that says how to supply it.</summary>
    /// <param name="explicitPath">An explicit path, if any.</param>
    /// <returns>The full path.</returns>
    /// <exception cref="DirectoryNotFoundException">No data folder was given.</exception>
    public static string Resolve(string? explicitPath = null)
        => TryResolve(explicitPath) ?? throw new DirectoryNotFoundException(
            $"No data folder: set {EnvironmentVariable} to the folder that holds the benchmark tables and images.");

    /// <summary>The checksum list a data folder may hold: <c>sha256sum</c> output, one <c>HEX  ./relative/path</c> per line.</summary>
    public const string ChecksumFile = "SHA256SUMS";

    /// <summary>
    /// Checks a file of the data folder against the folder's <see cref="ChecksumFile"/>, when the folder has one that
    /// lists the file, so a truncated or modified copy fails with one line instead of giving other numbers. Files the
    /// list does not name (or a folder without a list) pass unchecked.
    /// </summary>
    /// <param name="dataFolder">The data folder.</param>
    /// <param name="relativePath">The file, relative to the folder.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Its SHA-256 differs from the list's (file named).</exception>
    public static void VerifyChecksum(string dataFolder, string relativePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataFolder);
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        var path = Path.Combine(dataFolder, relativePath);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Data file '{path}' does not exist.", path);
        }

        var list = Path.Combine(dataFolder, ChecksumFile);
        if (!File.Exists(list))
        {
            return;
        }

        var wanted = "./" + relativePath.Replace(Path.DirectorySeparatorChar, '/');
        foreach (var line in File.ReadLines(list))
        {
            var parts = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && string.Equals(parts[1].TrimStart('*'), wanted, StringComparison.Ordinal))
            {
                using var stream = File.OpenRead(path);
                var actual = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
                if (!string.Equals(actual, parts[0], StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidDataException($"Data file '{path}' does not match its SHA-256 in '{list}' (a truncated or modified copy).");
                }

                return;
            }
        }
    }
}
