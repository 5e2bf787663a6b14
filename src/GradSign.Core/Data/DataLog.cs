using Microsoft.Extensions.Logging;

namespace GradSign.Data;

/// <summary>Log messages of the data area (event ids 3000–3099).</summary>
internal static partial class DataLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Debug, Message = "Loaded {Count} images of {Dataset}/{Split} from {Folder}")]
    public static partial void ImagesLoaded(ILogger logger, int count, string dataset, string split, string folder);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Loaded {Rows} rows and {Columns} numeric columns from {Path}")]
    public static partial void TableLoaded(ILogger logger, int rows, int columns, string path);
}
