using System.Text;

namespace GradSign.Tests.Fuzz;

/// <summary>What every reader promises on any input: it returns, or it throws one of its documented exception types
/// with a message of one line, short enough to read (values from the input are clipped).</summary>
internal static class Outcome
{
    /// <summary>The longest message accepted (a clipped value, a file path and the explanation).</summary>
    public const int MaxMessage = 600;

    /// <summary>Runs <paramref name="read"/>; any other exception type, or a long or multi-line message, fails the property.</summary>
    /// <param name="input">The input, shown (clipped) when the property fails.</param>
    /// <param name="read">The reader call.</param>
    /// <param name="allowed">The documented exception types.</param>
    public static void ReturnsOrThrows(object input, Action read, params Type[] allowed)
    {
        try
        {
            read();
        }
        catch (Exception ex)
        {
            if (!allowed.Any(t => t.IsInstanceOfType(ex)))
            {
                Assert.Fail($"{ex.GetType().Name}: {ex.Message}\ninput: {Show(input)}\n{ex}");
            }

            var message = ex.Message;
            if (ex is ArgumentOutOfRangeException)
            {
                // .NET appends "Actual value was …" on a second line; the first line must stand alone.
                message = message.Split('\n')[0];
            }

            if (message.Contains('\n', StringComparison.Ordinal))
            {
                Assert.Fail($"two-line message: {message}\ninput: {Show(input)}");
            }

            if (message.Length > MaxMessage)
            {
                Assert.Fail($"{message.Length}-character message: {message[..200]}…\ninput: {Show(input)}");
            }
        }
    }

    private static string Show(object input)
    {
        var text = input switch
        {
            byte[] b => Encoding.UTF8.GetString(b),
            _ => input.ToString() ?? string.Empty,
        };
        text = text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return text.Length <= 400 ? text : text[..400] + $"… ({text.Length} characters)";
    }
}
