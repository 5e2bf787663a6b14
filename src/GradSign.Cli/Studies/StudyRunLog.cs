using Microsoft.Extensions.Logging;

namespace GradSign.Cli.Studies;

/// <summary>Log messages of the correlation study (event ids 5000–5099).</summary>
internal static partial class StudyRunLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Study: {Cells} cells in shard {Shard}, {Resumed} already in the file, {Todo} to score -> {Path}")]
    public static partial void Started(ILogger logger, int cells, string shard, int resumed, int todo, string path);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Cell {Index} scored ({Done}/{Total}, {CellsPerSecond:F2} cells/s, ETA {Eta})")]
    public static partial void CellScored(ILogger logger, int index, int done, int total, double cellsPerSecond, string eta);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Study: scored {Scored} cells in {Seconds:F1} s -> {Path}")]
    public static partial void Finished(ILogger logger, int scored, double seconds, string path);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "NAS-Bench-101: {Rows} rows, {Cells} distinct cells ({Repeated} repeated, {DifferingTarget} with differing val_accuracy_108 averaged, {OtherSpecs} listed with another vertex order) from {Path}")]
    public static partial void Nb101CellsLoaded(ILogger logger, int rows, int cells, int repeated, int differingTarget, int otherSpecs, string path);
}
