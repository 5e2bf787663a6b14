namespace GradSign.Cli.Commands;

/// <summary>
/// Checks of the files a command will write, made before any work starts: no two outputs (nor an output and an input)
/// may be the same file, through symbolic links too, and every output must be writable — so a long run never ends by
/// overwriting its own results or failing to save them.
/// </summary>
internal static class OutputFiles
{
    /// <summary>The file a path names once every symbolic link (of the file and of its folders) is followed.</summary>
    /// <param name="path">A path; the file need not exist.</param>
    /// <returns>The resolved full path.</returns>
    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var resolved = root;
        foreach (var segment in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            resolved = Path.Combine(resolved, segment);
            FileSystemInfo entry = Directory.Exists(resolved) ? new DirectoryInfo(resolved) : new FileInfo(resolved);
            if (entry.Exists && entry.LinkTarget is not null)
            {
                resolved = Resolve(entry.ResolveLinkTarget(returnFinalTarget: true)!.FullName);
            }
        }

        return resolved;
    }

    /// <summary>Refuses two options naming the same file.</summary>
    /// <param name="files">(option, path) pairs; null paths are skipped.</param>
    /// <exception cref="ArgumentException">Two of them resolve to one file (both options named).</exception>
    public static void EnsureDistinct(params (string Option, string? Path)[] files)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (option, path) in files)
        {
            if (path is null)
            {
                continue;
            }

            var resolved = Resolve(path);
            if (seen.TryGetValue(resolved, out var other))
            {
                throw new ArgumentException($"{option} '{path}' is the same file as {other}; give each its own file.");
            }

            seen.Add(resolved, $"{option} '{path}'");
        }
    }

    /// <summary>Checks that a file can be created or appended to, without changing it.</summary>
    /// <param name="option">The option, for messages.</param>
    /// <param name="path">The file.</param>
    /// <exception cref="ArgumentException">It is a folder, its folder is missing or not a folder, or it cannot be written (named).</exception>
    /// <exception cref="IOException">It exists and another process holds it locked.</exception>
    public static void EnsureWritable(string option, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new ArgumentException($"{option} '{path}' is a folder; give a file name.");
        }

        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new ArgumentException(File.Exists(folder) || AnyAncestorIsFile(folder)
                ? $"{option} '{path}': '{folder}' is not a folder."
                : $"{option} '{path}': folder '{folder}' does not exist.");
        }

        var exists = File.Exists(full);
        try
        {
            using var probe = exists
                ? new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)
                : new FileStream(full, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException ex) when (exists)
        {
            throw new IOException($"{option} '{path}' is locked by another process (another 'gradsign' writing it?).", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{option} '{path}' cannot be written: {ex.Message}", ex);
        }
    }

    private static bool AnyAncestorIsFile(string folder)
    {
        for (var dir = folder; !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(dir))
            {
                return true;
            }
        }

        return false;
    }
}
