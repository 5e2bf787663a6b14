using GradSign.Data;

namespace GradSign.Tests.Infrastructure;

/// <summary>Locations of ../shared (oracle fixtures, data) as seen from the repository root.</summary>
public static class SharedPaths
{
    /// <summary>The repository root (the folder holding GradSign.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>../shared beside the repository root.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    /// <summary>../shared/oracle/fixtures.</summary>
    public static string Fixtures => Path.Combine(Shared, "oracle", "fixtures");

    /// <summary>../shared/oracle/fixtures_ext.</summary>
    public static string FixturesExt => Path.Combine(Shared, "oracle", "fixtures_ext");

    /// <summary>tests/GradSign.Core.Tests/Fixtures/nb101_random: oracle fixtures kept in the repository (tools/nb101_random_fixtures.py).</summary>
    public static string RandomNb101Fixtures => Path.Combine(RepositoryRoot, "tests", "GradSign.Core.Tests", "Fixtures", "nb101_random");

    /// <summary>tests/GradSign.Core.Tests/Fixtures/nb201_dead_edge: oracle fixtures of NAS-Bench-201 cells with dead edges and zero-input convolutions, kept in the repository.</summary>
    public static string DeadEdgeNb201Fixtures => Path.Combine(RepositoryRoot, "tests", "GradSign.Core.Tests", "Fixtures", "nb201_dead_edge");

    /// <summary>The data folder: GRADSIGN_DATA, else ../shared/data beside the repository root; null when absent.</summary>
    public static string? Data => DataFolder.TryResolve() ?? (Directory.Exists(Path.Combine(Shared, "data")) ? Path.Combine(Shared, "data") : null);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GradSign.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("GradSign.sln not found above " + AppContext.BaseDirectory);
    }
}
