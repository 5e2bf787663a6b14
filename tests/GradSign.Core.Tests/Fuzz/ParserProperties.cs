using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GradSign.Cli.Studies;
using GradSign.SearchSpaces.NasBench101;
using GradSign.SearchSpaces.NasBench201;

namespace GradSign.Tests.Fuzz;

/// <summary>The text parsers of the command line and the library: architecture strings, NAS-Bench-101 cell JSON and
/// <c>--shard</c> values. Any text parses or fails with the documented exception and a short one-line message; what is
/// printed parses back to the same value.</summary>
[Trait("Category", "Fuzz")]
public sealed class ParserProperties
{
    private static readonly Gen<NasBench201Cell> Cells = Gen.Choose(0, NasBench201Cell.CellCount - 1).Select(NasBench201Cell.FromCode);

    [Property(MaxTest = 500)]
    public Property Nb201Arch_AnyText_ParsesOrThrowsFormat()
        => Prop.ForAll(Mutator.Text(NasBench201Cell.FromCode(12_345).ToString(), new string('|', 10_000)).ToArbitrary(), text =>
        {
            Outcome.ReturnsOrThrows(text, () => NasBench201Cell.Parse(text), typeof(FormatException));
            Assert.Equal(Succeeds(() => NasBench201Cell.Parse(text)), NasBench201Cell.TryParse(text, out _));
        });

    [Property(MaxTest = 300)]
    public Property Nb201Arch_PrintedCell_ParsesBackToTheSameCell()
        => Prop.ForAll(Cells.ToArbitrary(), cell =>
        {
            var back = NasBench201Cell.Parse(cell.ToString());
            Assert.Equal(cell.Code, back.Code);
            Assert.Equal(cell.Key, back.Key);
        });

    [Property(MaxTest = 500)]
    public Property Nb101Spec_AnyText_ParsesOrThrowsFormatOrArgument()
        => Prop.ForAll(Mutator.Text(
            "{\"matrix\":[[0,1,1,0],[0,0,0,1],[0,0,0,1],[0,0,0,0]],\"ops\":[\"input\",\"conv3x3-bn-relu\",\"maxpool3x3\",\"output\"]}",
            "{\"matrix\":[[0,1],[0,0]],\"ops\":[\"input\",\"output\"]}").ToArbitrary(), text =>
            Outcome.ReturnsOrThrows(text, () => ModelSpec.ParseJson(text), typeof(FormatException), typeof(ArgumentException)));

    [Property(MaxTest = 300)]
    public Property Nb101Spec_PrintedSpec_ParsesBackEqual()
    {
        var matrices =
            from n in Gen.Choose(2, 7)
            from bits in Gen.ArrayOf(Gen.Elements(0, 1), n * n)
            from ops in Gen.ArrayOf(Gen.Elements("conv3x3-bn-relu", "conv1x1-bn-relu", "maxpool3x3"), n - 2)
            select (n, bits, ops);
        return Prop.ForAll(matrices.ToArbitrary(), m =>
        {
            // Upper-triangular adjacency (a DAG), as every NAS-Bench-101 cell is.
            var matrix = Enumerable.Range(0, m.n).Select(i => Enumerable.Range(0, m.n).Select(j => j > i ? m.bits[(i * m.n) + j] : 0).ToArray()).ToArray();
            var json = $"{{\"matrix\":[{string.Join(",", matrix.Select(r => "[" + string.Join(",", r) + "]"))}],\"ops\":[\"input\",{string.Join("", m.ops.Select(o => $"\"{o}\","))}\"output\"]}}";
            ModelSpec? spec = null;
            Outcome.ReturnsOrThrows(json, () => spec = ModelSpec.ParseJson(json), typeof(ArgumentException), typeof(FormatException));
            if (spec is not null)
            {
                // Equality is on the cell as given (a search tells cells apart that way); the pruned form is stable.
                Assert.Equal(spec, ModelSpec.ParseJson(spec.ToJson(original: true)));
                Assert.Equal(spec.ToJson(), ModelSpec.ParseJson(spec.ToJson()).ToJson());
            }
        });
    }

    [Property(MaxTest = 500)]
    public Property Shard_AnyText_ParsesOrThrowsArgument()
        => Prop.ForAll(Mutator.Text("3/8", "0/1", "15/16").ToArbitrary(), text =>
            Outcome.ReturnsOrThrows(text, () => ShardSpec.Parse(text), typeof(ArgumentException)));

    [Property(MaxTest = 300)]
    public Property Shard_AllShards_PartitionTheSample()
    {
        var cases =
            from count in Gen.Choose(1, 40)
            from size in Gen.Choose(0, 200)
            select (count, size);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var sample = Enumerable.Range(0, c.size).Select(i => i * 3).ToArray();
            var shards = Enumerable.Range(0, c.count).Select(i => ShardSpec.Parse($"{i}/{c.count}")).ToArray();
            Assert.All(shards, s => Assert.Equal(s, ShardSpec.Parse(s.ToString())));
            var union = shards.SelectMany(s => s.Select(sample)).Order().ToArray();
            Assert.Equal(sample, union);
        });
    }

    private static bool Succeeds(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
