using Microsoft.Extensions.Logging;

namespace GradSign.Cli.Search;

/// <summary>Log messages of the NAS-Bench-201 search simulation (event ids 6000–6099).</summary>
internal static partial class SearchLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "{Note}")]
    public static partial void SpaceRestricted(ILogger logger, string note);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "Run {Run} ({Algorithm}): best {Arch} signal {Signal:F3}")]
    public static partial void RunFinished(ILogger logger, int run, string algorithm, string arch, double signal);
}
