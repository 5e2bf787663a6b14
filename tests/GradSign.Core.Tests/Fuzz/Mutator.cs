using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace GradSign.Tests.Fuzz;

/// <summary>
/// Generates inputs for the reader properties: a valid seed file damaged by up to eight edits (a byte overwritten,
/// inserted or deleted, a range deleted or doubled, a tail cut off, a troublesome token spliced in), or bytes made up
/// from scratch. Edits favour the bytes that matter to the formats (quotes, separators, line ends, braces, digits,
/// invalid UTF-8), so most cases reach deep into a parser rather than failing on the first byte.
/// </summary>
internal static class Mutator
{
    private static readonly byte[] Interesting =
        [.. "\",\n\r\0{}[]:~|+-.eE0123456789 \t#\\/"u8, 0xFF, 0xFE, 0xC3, 0xED, 0xA0, 0x80, 0xEF, 0xBB, 0xBF, 0x1F, 0x8B];

    private static readonly string[] Tokens =
    [
        "NaN", "nan", "inf", "-Infinity", "1e999", "-1e-999", "-0", "99999999999999999999", "2147483648", "-2147483649",
        "\"\"", "\"", ",,", "\r\n", "\r", "\n\n", "\\ud800", "\\u0000", "null", "true", "[]", "{}", "[[", "]]", "0x10",
        "１", "٣", "\u00a0", "\ufeff", "\u2028", "e", "|", "~", "+", "~-1", "~9", "/", "0/0", "-1/2", "1/0",
    ];

    private enum Kind
    {
        Overwrite,
        Insert,
        Delete,
        DeleteRange,
        Duplicate,
        Truncate,
        Splice,
    }

    private readonly record struct Edit(Kind Kind, double Where, int Length, byte Byte, string Token);

    private static Gen<Edit> EditGen { get; } =
        from kind in Gen.Elements(Enum.GetValues<Kind>())
        from position in Gen.Choose(0, 1_000_000).Select(i => i / 1_000_000.0)
        from length in Gen.Choose(1, 24)
        from b in Gen.Frequency((3, Gen.Elements(Interesting)), (1, Gen.Choose(0, 255).Select(i => (byte)i)))
        from token in Gen.Elements(Tokens)
        select new Edit(kind, position, length, b, token);

    /// <summary>A seed with 1–8 edits (most cases), or made-up bytes.</summary>
    /// <param name="seeds">Valid inputs to start from.</param>
    /// <returns>The generator.</returns>
    public static Gen<byte[]> Bytes(params byte[][] seeds)
    {
        var edited =
            from seed in Gen.Elements(seeds)
            from count in Gen.Choose(1, 8)
            from edits in Gen.ArrayOf(EditGen, count)
            select Apply(seed, edits);
        var random = Gen.ArrayOf(Gen.Frequency((3, Gen.Elements(Interesting)), (1, Gen.Choose(0, 255).Select(i => (byte)i))));
        return Gen.Frequency((9, edited), (1, random));
    }

    /// <summary>Like <see cref="Bytes"/>, decoded as UTF-8 (invalid bytes become U+FFFD), or any string.</summary>
    /// <param name="seeds">Valid inputs to start from.</param>
    /// <returns>The generator.</returns>
    public static Gen<string> Text(params string[] seeds)
    {
        var edited = Bytes([.. seeds.Select(Encoding.UTF8.GetBytes)]).Select(b => Encoding.UTF8.GetString(b));
        return Gen.Frequency((9, edited), (1, ArbMap.Default.GeneratorFor<string>().Select(s => s ?? string.Empty)));
    }

    private static byte[] Apply(byte[] seed, Edit[] edits)
    {
        var bytes = new List<byte>(seed);
        foreach (var e in edits)
        {
            var at = (int)(e.Where * bytes.Count);
            switch (e.Kind)
            {
                case Kind.Overwrite when at < bytes.Count:
                    bytes[at] = e.Byte;
                    break;
                case Kind.Insert:
                    bytes.Insert(at, e.Byte);
                    break;
                case Kind.Delete when at < bytes.Count:
                    bytes.RemoveAt(at);
                    break;
                case Kind.DeleteRange:
                    bytes.RemoveRange(at, Math.Min(e.Length, bytes.Count - at));
                    break;
                case Kind.Duplicate:
                    bytes.InsertRange(at, bytes.GetRange(at, Math.Min(e.Length, bytes.Count - at)));
                    break;
                case Kind.Truncate:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case Kind.Splice:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(e.Token));
                    break;
            }
        }

        return [.. bytes];
    }
}
