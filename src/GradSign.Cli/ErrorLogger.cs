using Microsoft.Extensions.Logging;

namespace GradSign.Cli;

/// <summary>
/// Writes warnings and errors to the command's error stream as <c>gradsign: warning: …</c> lines (one per message), so a
/// command that would otherwise log nothing still tells the user what it skipped. Information and below are dropped.
/// </summary>
/// <param name="error">The error stream (<c>Console.Error</c>, or a test's writer).</param>
internal sealed class ErrorLogger(TextWriter error) : ILogger
{
    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            error.WriteLine($"gradsign: {(logLevel == LogLevel.Warning ? "warning" : "error")}: {CliText.OneLine(formatter(state, exception))}");
        }
    }
}
