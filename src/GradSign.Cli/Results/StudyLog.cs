using Microsoft.Extensions.Logging;

namespace GradSign.Cli.Results;

/// <summary>Log messages about study results files (event ids 3100–3199).</summary>
internal static partial class StudyLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Dropped an unterminated last line ({Bytes} bytes) of {Path}; that cell will be scored again")]
    public static partial void PartialLineDropped(ILogger logger, string path, long bytes);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Skipped an unterminated last line ({Bytes} bytes) of {Path} (a run killed while writing it); that cell is not merged, rerun its shard with --resume to score it")]
    public static partial void PartialLineSkipped(ILogger logger, string path, long bytes);
}
