namespace GradSign.Internal;

/// <summary>How exception messages quote values read from input: short and on one line, so a corrupt file or a huge
/// argument cannot flood a terminal or a log.</summary>
internal static class MessageText
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

    /// <summary>Another exception's message inside ours: on one line (control characters as spaces) and clipped, since
    /// parsers such as System.Text.Json quote the offending input in their messages.</summary>
    /// <param name="message">The inner message.</param>
    /// <returns>The line.</returns>
    public static string Inline(string message)
    {
        var chars = message.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = char.IsControl(chars[i]) ? ' ' : chars[i];
        }

        return Clip(new string(chars), 200);
    }
}
