namespace GradSign.Cli;

/// <summary>How the command line quotes values and messages: short and on one line, so no input can flood the terminal.</summary>
internal static class CliText
{
    /// <summary>A value as quoted in a message: at most <paramref name="max"/> characters, line breaks shown as <c>\n</c>.</summary>
    /// <param name="value">The value.</param>
    /// <param name="max">The most characters kept.</param>
    /// <returns>The clipped value.</returns>
    public static string Clip(string? value, int max = 80)
    {
        var text = (value ?? string.Empty).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return text.Length <= max ? text : string.Concat(text.AsSpan(0, max), $"… ({text.Length} characters)");
    }

    /// <summary>The first line of a message, at most 300 characters.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The line.</returns>
    public static string FirstLine(string message) => Clip(message.Split('\n', 2)[0].TrimEnd('\r'), 300);
}
