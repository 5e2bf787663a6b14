using Microsoft.Extensions.Logging;

namespace GradSign.Proxies.Evaluation;

/// <summary>Source-generated log messages of <see cref="ProxyRunner"/>.</summary>
internal static partial class ProxyRunnerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Scoring architectures with proxies {Proxies} on backend {Backend}, seed {Seed}")]
    public static partial void RunStarted(ILogger logger, string proxies, string backend, ulong seed);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Architecture {Index} ({Key}): {Parameters} parameters, weight seed {WeightSeed}")]
    public static partial void ArchitectureStarted(ILogger logger, int index, string key, long parameters, ulong? weightSeed);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Architecture {Index} ({Key}): {Proxy} = {Value} in {Milliseconds:F1} ms")]
    public static partial void ProxyScored(ILogger logger, int index, string key, string proxy, double value, double milliseconds);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Scored {Count} architectures")]
    public static partial void RunFinished(ILogger logger, int count);
}
