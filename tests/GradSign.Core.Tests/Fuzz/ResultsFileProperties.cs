using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GradSign.Cli.Results;

namespace GradSign.Tests.Fuzz;

/// <summary>The correlation-study results file: damaged files read or fail with <see cref="InvalidDataException"/>, and
/// whatever is written reads back exactly.</summary>
[Trait("Category", "Fuzz")]
public sealed class ResultsFileProperties
{
    private static readonly StudySettings Settings = new(new Dictionary<string, string> { ["seed"] = "42", ["batch"] = "64", ["info.build"] = "x" });

    private static readonly byte[] Seed = Written(
        new StudyResultsSchema(["gradsign", "synflow"], "cifar10valid_split_test"),
        [
            new StudyRow(0, "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", [850046, 1.8e17], 81.52, [1.39, 0.3]),
            new StudyRow(64, "|a,b~0|", [double.NaN, double.NegativeInfinity], 89.27666667, [0, 1e-6]),
            new StudyRow(128, "\"quoted\"", [-0.0, 5e-324], double.PositiveInfinity, [0.5, 0.25]),
        ]);

    [Property(MaxTest = 400)]
    public Property Parse_DamagedFile_ReadsOrThrowsInvalidData()
        => Prop.ForAll(Mutator.Bytes(Seed, [.. Encoding.UTF8.Preamble, .. Seed], Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Seed).Replace("\n", "\r\n", StringComparison.Ordinal))).ToArbitrary(), bytes =>
            Outcome.ReturnsOrThrows(bytes, () => StudyResultsFile.Parse(bytes, "fuzz.csv"), typeof(InvalidDataException)));

    [Property(MaxTest = 200)]
    public Property WriteThenParse_RoundTripsEveryValue()
    {
        var number = Gen.Frequency(
            (4, ArbMap.Default.GeneratorFor<double>()),
            (1, Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue)));
        var arch = Gen.Elements("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "a,b", "\"q\"", "x\"y", " spaced ", "é", "");
        var rows =
            from count in Gen.Choose(0, 6)
            from indices in Gen.ArrayOf(Gen.Choose(0, 15_624), count)
            from archs in Gen.ArrayOf(arch, count)
            from scores in Gen.ArrayOf(Gen.ArrayOf(number, 2), count)
            from targets in Gen.ArrayOf(number, count)
            select indices.Select((index, i) => new StudyRow(index, archs[i], scores[i], targets[i], [0, 0])).ToArray();
        return Prop.ForAll(rows.ToArbitrary(), written =>
        {
            var schema = new StudyResultsSchema(["p1", "p2"], "target");
            var read = StudyResultsFile.Parse(Written(schema, written), "round-trip.csv");
            Assert.Equal(schema, read.Schema);
            Assert.Equal(Settings.ToJson(), read.Settings!.ToJson());
            Assert.Equal(written.Length, read.Rows.Count);
            for (var i = 0; i < written.Length; i++)
            {
                Assert.True(written[i].SameResult(read.Rows[i]), $"row {i}: wrote {string.Join(",", StudyResultsFile.FormatRow(written[i], schema))}");
            }
        });
    }

    private static byte[] Written(StudyResultsSchema schema, IReadOnlyList<StudyRow> rows)
    {
        var stream = new MemoryStream();
        using (var writer = new StudyResultsWriter(stream, Settings, schema))
        {
            foreach (var row in rows)
            {
                writer.Append(row);
            }
        }

        return stream.ToArray(); // a closed MemoryStream still hands out its bytes

    }
}
