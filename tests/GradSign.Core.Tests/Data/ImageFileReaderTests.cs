using GradSign.Data;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Data;

public class ImageFileReaderTests
{
    // Counts from ../shared/data/README.md.
    [RequiresDataTheory]
    [InlineData("cifar-10/data_batch_1.bin", 1102)]
    [InlineData("cifar-10/data_batch_2.bin", 1017)]
    [InlineData("cifar-10/data_batch_3.bin", 1017)]
    [InlineData("cifar-10/data_batch_4.bin", 1285)]
    [InlineData("cifar-10/data_batch_5.bin", 1017)]
    [InlineData("cifar-10/test_batch.bin", 1017)]
    public void Read_Cifar10Files_HaveReadmeCounts(string file, int count)
    {
        var set = ImageFileReader.Read(Path.Combine(SharedPaths.Data!, file), ImageFileFormat.Cifar10);
        Assert.Equal(count, set.Count);
        Assert.Equal((3, 32, 32, 10), (set.Channels, set.Height, set.Width, set.ClassCount));
        Assert.Equal(count * 3072, set.Pixels.Length);
    }

    [RequiresDataTheory]
    [InlineData("cifar-100/train.bin", 1117)]
    [InlineData("cifar-100/test.bin", 916)]
    public void Read_Cifar100Files_HaveReadmeCountsAndAllFineClasses(string file, int count)
    {
        var set = ImageFileReader.Read(Path.Combine(SharedPaths.Data!, file), ImageFileFormat.Cifar100);
        Assert.Equal(count, set.Count);
        Assert.Equal(100, set.Labels.Distinct().Count());
    }

    [RequiresDataFact]
    public void Read_Cifar100_UsesFineLabelNotCoarse()
    {
        var path = Path.Combine(SharedPaths.Data!, "cifar-100/train.bin");
        var raw = File.ReadAllBytes(path);
        var set = ImageFileReader.Read(path, ImageFileFormat.Cifar100);
        for (var r = 0; r < 20; r++)
        {
            Assert.Equal(raw[(r * 3074) + 1], set.Labels[r]);
            Assert.Equal(raw[(r * 3074) + 2], set.Image(r)[0]);
        }
    }

    [RequiresDataTheory]
    [InlineData("imagenet16-120-standin/imagenet_sample_120cls_1each.bin", 120, 120)]
    [InlineData("imagenet16-120-standin/tinyimagenet_14cls_train.bin", 7000, 14)]
    [InlineData("imagenet16-120-standin/tinyimagenet_14cls_val.bin", 700, 14)]
    public void Read_ImageNet16StandIn_HasReadmeCounts(string file, int count, int classes)
    {
        var set = ImageFileReader.Read(Path.Combine(SharedPaths.Data!, file), ImageFileFormat.ImageNet16StandIn);
        Assert.Equal(count, set.Count);
        Assert.Equal((3, 16, 16, 120), (set.Channels, set.Height, set.Width, set.ClassCount));
        Assert.Equal(classes, set.Labels.Distinct().Count());
    }

    [Fact]
    public void Read_TruncatedFile_ThrowsNamingFileAndOffset()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("short.bin", new byte[(2 * 3073) + 100]);
        var ex = Assert.Throws<InvalidDataException>(() => ImageFileReader.Read(path, ImageFileFormat.Cifar10));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("offset 6146", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LabelOutOfRange_ThrowsNamingFileAndOffset()
    {
        using var dir = new TempDirectory();
        var bytes = new byte[3 * 3073];
        bytes[2 * 3073] = 10; // third record's label: CIFAR-10 labels are 0..9
        var path = dir.Write("badlabel.bin", bytes);
        var ex = Assert.Throws<InvalidDataException>(() => ImageFileReader.Read(path, ImageFileFormat.Cifar10));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("offset 6146", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Cifar100CoarseLabelOutOfRange_ThrowsAtThatByte()
    {
        using var dir = new TempDirectory();
        var bytes = new byte[2 * 3074];
        bytes[3074] = 20; // second record, coarse label (0..19)
        var path = dir.Write("coarse.bin", bytes);
        var ex = Assert.Throws<InvalidDataException>(() => ImageFileReader.Read(path, ImageFileFormat.Cifar100));
        Assert.Contains("offset 3074", ex.Message, StringComparison.Ordinal);
        bytes[3074] = 0;
        bytes[3075] = 100; // fine label (0..99)
        File.WriteAllBytes(path, bytes);
        ex = Assert.Throws<InvalidDataException>(() => ImageFileReader.Read(path, ImageFileFormat.Cifar100));
        Assert.Contains("offset 3075", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ImageNet16LabelOutOfRange_Throws()
    {
        using var dir = new TempDirectory();
        var bytes = new byte[769];
        bytes[0] = 120;
        var path = dir.Write("in16.bin", bytes);
        var ex = Assert.Throws<InvalidDataException>(() => ImageFileReader.Read(path, ImageFileFormat.ImageNet16StandIn));
        Assert.Contains("offset 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyFile_ThrowsNamingFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("empty.bin", []);
        var ex = Assert.Throws<InvalidDataException>(() => ImageFileReader.Read(path, ImageFileFormat.Cifar10));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => ImageFileReader.Read("/no/such/file.bin", ImageFileFormat.Cifar10));
    }

    [Fact]
    public void Read_WholeRecords_SplitsLabelsAndPlanarPixels()
    {
        using var dir = new TempDirectory();
        var bytes = new byte[2 * 769];
        bytes[0] = 7;
        bytes[1] = 11;      // R(0,0) of image 0
        bytes[1 + 256] = 22; // G(0,0)
        bytes[769] = 119;
        bytes[769 + 768] = 33; // B(15,15) of image 1
        var set = ImageFileReader.Read(dir.Write("two.bin", bytes), ImageFileFormat.ImageNet16StandIn);
        Assert.Equal([7, 119], set.Labels);
        Assert.Equal(11, set.Image(0)[0]);
        Assert.Equal(22, set.Image(0)[256]);
        Assert.Equal(33, set.Image(1)[767]);
    }
}
