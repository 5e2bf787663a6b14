namespace GradSign.Cli;

/// <summary>How the command line quotes values and messages: short and on one line, so no input can flood the terminal.</summary>
internal static class CliText
{
    /// <summary>The most characters of one error line.</summary>
    public const int MaxLine = 300;

    /// <summary>A value as quoted in a message: at most <paramref name="max"/> characters, line breaks shown as <c>\n</c>.</summary>
    /// <param name="value">The value.</param>
    /// <param name="max">The most characters kept.</param>
    /// <returns>The clipped value.</returns>
    public static string Clip(string? value, int max = 80)
    {
        var text = (value ?? string.Empty).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return text.Length <= max ? text : string.Concat(text.AsSpan(0, max), $"… ({text.Length} characters)");
    }

    /// <summary>A message on one line: its lines joined with spaces (so a second line's detail is kept), runs of white space
    /// collapsed, at most <see cref="MaxLine"/> characters.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The line.</returns>
    public static string OneLine(string message)
    {
        var joined = string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return Clip(joined, MaxLine);
    }

    /// <summary>
    /// What an exception says, for the user: the message without .NET's argument decorations (<c>(Parameter 'x')</c>, and
    /// <c>Actual value was …</c> when the message already quotes the value), on one line.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The line.</returns>
    public static string Describe(Exception exception)
    {
        var message = exception.Message;
        if (exception is ArgumentOutOfRangeException { ActualValue: { } actual })
        {
            var tail = message.LastIndexOf('\n');
            var value = Convert.ToString(actual, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            if (tail >= 0 && message.AsSpan(0, tail).Contains(value, StringComparison.Ordinal))
            {
                message = message[..tail].TrimEnd('\r');
            }
        }

        if (exception is ArgumentException { ParamName: { } name })
        {
            message = message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal);
        }

        return OneLine(message);
    }
}
