using GradSign.Data;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Data;

public class ImageDatasetsTests
{
    [RequiresDataTheory]
    [InlineData("cifar10", DatasetSplit.Train, 5438, 10)]
    [InlineData("cifar10", DatasetSplit.Test, 1017, 10)]
    [InlineData("cifar100", DatasetSplit.Train, 1117, 100)]
    [InlineData("cifar100", DatasetSplit.Test, 916, 100)]
    [InlineData("imagenet16-120", DatasetSplit.Train, 7120, 120)]
    [InlineData("imagenet16-120", DatasetSplit.Test, 700, 14)]
    public void Load_EachSplit_HasReadmeCountAndClasses(string id, DatasetSplit split, int count, int presentClasses)
    {
        var kind = DatasetKinds.Parse(id);
        var set = ImageDatasets.Load(SharedPaths.Data!, kind, split);
        Assert.Equal(count, set.Count);
        Assert.Equal(kind.ClassCount(), set.ClassCount);
        Assert.Equal(presentClasses, set.Labels.Distinct().Count());
        Assert.Equal(kind.ImageSize(), set.Height);
    }

    [Fact]
    public void Load_MissingFolderFiles_ThrowsFileNotFoundNamingFile()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<FileNotFoundException>(() => ImageDatasets.Load(dir.Path, DatasetKind.Cifar100, DatasetSplit.Test));
        Assert.Contains("test.bin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralFiles_SameAsReadingAndConcatenatingEach()
    {
        using var dir = new TempDirectory();
        var files = ImageDatasets.Files(DatasetKind.Cifar10, DatasetSplit.Train);
        var format = ImageFileFormat.For(DatasetKind.Cifar10);
        var rng = new Random(5);
        for (var i = 0; i < files.Count; i++)
        {
            var bytes = new byte[(i + 1) * format.RecordSize];
            rng.NextBytes(bytes);
            for (var r = 0; r <= i; r++)
            {
                bytes[r * format.RecordSize] = (byte)rng.Next(10);
            }

            var path = Path.Combine(dir.Path, files[i]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }

        var set = ImageDatasets.Load(dir.Path, DatasetKind.Cifar10, DatasetSplit.Train);
        var expected = ImageSet.Concat("x", [.. files.Select(f => ImageFileReader.Read(Path.Combine(dir.Path, f), format))]);
        Assert.Equal("cifar10/train", set.Name);
        Assert.Equal(expected.Pixels, set.Pixels);
        Assert.Equal(expected.Labels, set.Labels);

        // A truncated file among them is named, with the offset of its incomplete record.
        File.WriteAllBytes(Path.Combine(dir.Path, files[2]), new byte[format.RecordSize + 5]);
        var ex = Assert.Throws<InvalidDataException>(() => ImageDatasets.Load(dir.Path, DatasetKind.Cifar10, DatasetSplit.Train));
        Assert.Contains(files[2], ex.Message, StringComparison.Ordinal);
        Assert.Contains(format.RecordSize.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cifar10", DatasetKind.Cifar10)]
    [InlineData("CIFAR100", DatasetKind.Cifar100)]
    [InlineData("imagenet16-120", DatasetKind.ImageNet16)]
    public void Parse_KnownIds_RoundTrip(string id, DatasetKind kind)
    {
        Assert.Equal(kind, DatasetKinds.Parse(id));
        Assert.Equal(kind, DatasetKinds.Parse(kind.ToId()));
    }

    [Fact]
    public void Parse_UnknownId_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => DatasetKinds.Parse("mnist"));
        Assert.Contains("mnist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concat_MismatchedGeometry_Throws()
    {
        var a = new ImageSet("a", new byte[768], [0], 120, 3, 16, 16);
        var b = new ImageSet("b", new byte[3072], [0], 10, 3, 32, 32);
        Assert.Throws<ArgumentException>(() => ImageSet.Concat("ab", [a, b]));
    }
}
