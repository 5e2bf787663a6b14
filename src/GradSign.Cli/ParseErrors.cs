using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace GradSign.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors into the one line the user reads: an unknown command lists the commands, a
/// value that does not parse says what was expected in words (not <c>System.Nullable`1[System.Int32]</c>), and every
/// option error starts with the option's name.
/// </summary>
internal static class ParseErrors
{
    /// <summary>The line for a failed parse.</summary>
    /// <param name="parse">The parse result (with errors).</param>
    /// <param name="root">The root command.</param>
    /// <returns>One line, without the <c>gradsign:</c> prefix.</returns>
    public static string Describe(ParseResult parse, RootCommand root)
    {
        var commands = string.Join(", ", root.Subcommands.Select(c => c.Name));
        if (parse.CommandResult.Command == root)
        {
            var first = parse.Tokens.FirstOrDefault();
            return first is null
                ? $"no command given; commands: {commands}"
                : first.Value.StartsWith('-')
                    ? $"'{CliText.Clip(first.Value, 40)}' needs a command before it; commands: {commands}"
                    : $"unknown command '{CliText.Clip(first.Value, 40)}'; commands: {commands}";
        }

        // Most specific first: a value that does not fit its option, then a word the command does not know, then the rest
        // (a required option missing).
        var error = parse.Errors.FirstOrDefault(e => e.SymbolResult is OptionResult { Tokens.Count: > 0 });
        if (error is null && parse.UnmatchedTokens.Count > 0)
        {
            var token = parse.UnmatchedTokens[0];
            var what = token.StartsWith('-') ? "option" : "argument";
            return $"unknown {what} '{CliText.Clip(token, 40)}' for '{parse.CommandResult.Command.Name}'";
        }

        error ??= parse.Errors.FirstOrDefault(e => e.SymbolResult is OptionResult) ?? parse.Errors[0];
        if (error.SymbolResult is OptionResult option)
        {
            var name = option.Option.Name;
            if (option.Tokens.Count == 1 && Expected(option.Option.ValueType, option.Tokens[0].Value) is { } expected)
            {
                return $"{name}: '{CliText.Clip(option.Tokens[0].Value, 40)}' is not {expected}";
            }

            var text = CliText.OneLine(error.Message);
            return text.Contains(name, StringComparison.Ordinal) ? text : $"{name}: {text}";
        }

        return CliText.OneLine(error.Message);
    }

    /// <summary>What a numeric option expects, when <paramref name="token"/> is not it; null when it parses (or the
    /// option is not numeric), so the library's own message is kept.</summary>
    private static string? Expected(Type type, string token)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var invariant = CultureInfo.InvariantCulture;
        if (type == typeof(int))
        {
            return int.TryParse(token, NumberStyles.Integer, invariant, out _) ? null : $"a whole number from {int.MinValue} to {int.MaxValue}";
        }

        if (type == typeof(ulong))
        {
            return ulong.TryParse(token, NumberStyles.None, invariant, out _) ? null : $"a whole number from 0 to {ulong.MaxValue}";
        }

        if (type == typeof(double))
        {
            return double.TryParse(token, NumberStyles.Float, invariant, out _) ? null : "a number";
        }

        return null;
    }
}
