using System.CommandLine;

namespace GradSign.Benchmarks.Commands;

/// <summary>Options shared by several commands, created fresh for each command.</summary>
internal static class CommonOptions
{
    /// <summary><c>--data DIR</c>: the data folder (else GRADSIGN_DATA, else ../shared/data beside the repository root).</summary>
    public static Option<string?> Data() => new("--data")
    {
        Description = "Data folder (default: $GRADSIGN_DATA, else ../shared/data beside the repository root)",
    };

    /// <summary><c>--json</c>: print machine-readable JSON.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print JSON" };
}
