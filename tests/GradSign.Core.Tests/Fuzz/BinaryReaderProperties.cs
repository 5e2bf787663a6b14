using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GradSign.Data;
using GradSign.Networks;
using GradSign.Networks.Import;

namespace GradSign.Tests.Fuzz;

/// <summary>The binary readers: safetensors weights and CIFAR-style image files. Damaged bytes read or fail with
/// <see cref="InvalidDataException"/>; what is written reads back exactly.</summary>
[Trait("Category", "Fuzz")]
public sealed class BinaryReaderProperties
{
    private static readonly NetworkSpec Tiny = BuildTiny();

    private static readonly byte[] TinyFile = SafeTensors.Serialize(NetworkWeights.Initialize(Tiny, 7), new Dictionary<string, string> { ["format"] = "pt" });

    [Property(MaxTest = 500)]
    public Property SafeTensors_DamagedFile_ReadsOrThrowsInvalidData()
        => Prop.ForAll(Mutator.Bytes(TinyFile).ToArbitrary(), bytes =>
        {
            Outcome.ReturnsOrThrows(bytes, () => SafeTensors.ReadAll(bytes), typeof(InvalidDataException));
            Outcome.ReturnsOrThrows(bytes, () => SafeTensors.Read(bytes, Tiny), typeof(InvalidDataException));
        });

    [Property(MaxTest = 100)]
    public Property SafeTensors_SerializedWeights_ReadBackExactly()
        => Prop.ForAll(ArbMap.Default.GeneratorFor<ulong>().ToArbitrary(), seed =>
        {
            var weights = NetworkWeights.Initialize(Tiny, seed);
            var back = SafeTensors.Read(SafeTensors.Serialize(weights), Tiny);
            for (var i = 0; i < Tiny.Parameters.Count; i++)
            {
                Assert.Equal(weights[i], back[i]);
            }
        });

    [Property(MaxTest = 300)]
    public Property ImageFile_AnyBytes_ReadsOrThrowsInvalidData()
    {
        var formats = new[] { ImageFileFormat.Cifar10, ImageFileFormat.Cifar100, ImageFileFormat.ImageNet16StandIn };
        var records = formats.Select(f => Enumerable.Range(0, 2 * f.RecordSize).Select(i => (byte)(i % f.RecordSize < f.LabelBytes ? 1 : i)).ToArray()).ToArray();
        var cases =
            from format in Gen.Elements(formats)
            from bytes in Mutator.Bytes(records)
            select (format, bytes);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            ImageSet? set = null;
            Outcome.ReturnsOrThrows(c.format.Name, () => set = ImageFileReader.Parse(c.bytes, c.format, "fuzz.bin"), typeof(InvalidDataException));
            if (set is not null)
            {
                Assert.Equal(c.bytes.Length / c.format.RecordSize, set.Count);
            }
        });
    }

    private static NetworkSpec BuildTiny()
    {
        var b = new NetworkBuilder(3, 4, 4);
        var x = b.Conv2d(NetworkBuilder.Input, 2, kernel: 3, padding: 1, bias: true, weightName: "conv.weight");
        x = b.Relu(b.BatchNorm(x, "bn"));
        b.Linear(b.GlobalAvgPool(x), 3, "fc");
        return b.Build();
    }
}
