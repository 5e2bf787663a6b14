using GradSign.Data;

namespace GradSign.Tests.Data;

public class StudyResultsFileTests
{
    private static readonly StudyResultsSchema Schema = new(["synflow", "naswot"], "cifar10valid_split_test");

    private static StudyRow Row(int index, double a = 1.5, double b = -2.25) => new(index, $"|arch~{index}|", [a, b], 90 + index, [0.01, 0.02]);

    [Fact]
    public void WriteThenRead_RoundTripsValuesExactly()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "r.csv");
        StudyRow[] rows = [new(3, "|nor_conv_3x3~0|+|none~0|skip_connect~1|", [0.1 + 0.2, double.NaN], 93.12345678901234, [1.25, 0]), new(1, "|x~0|", [double.NegativeInfinity, 5e-300], double.NaN, [0, 0])];
        StudyResultsFile.Write(path, Schema, rows);
        var read = StudyResultsFile.Read(path);
        Assert.Equal(Schema, read.Schema);
        Assert.Equal(0, read.PartialTailBytes);
        Assert.Equal(2, read.Rows.Count);
        Assert.True(rows[0].SameResult(read.Rows[0]));
        Assert.True(rows[1].SameResult(read.Rows[1]));
        Assert.Equal(1.25, read.Rows[0].Seconds[0]);
        Assert.Equal("index,arch,synflow,naswot,cifar10valid_split_test,seconds_synflow,seconds_naswot", File.ReadLines(path).First());
    }

    [Fact]
    public void PrepareForAppend_UnterminatedLastLine_IsCutOff()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "r.csv");
        StudyResultsFile.Write(path, Schema, [Row(0), Row(1)]);
        var complete = File.ReadAllBytes(path);
        File.AppendAllText(path, "2,|arch~2|,1.5,-2.2");
        Assert.Equal(19, StudyResultsFile.Read(path).PartialTailBytes);
        var rows = StudyResultsFile.PrepareForAppend(path, Schema);
        Assert.Equal([0, 1], rows.Select(r => r.Index));
        Assert.Equal(complete, File.ReadAllBytes(path));
    }

    [Fact]
    public void PrepareForAppend_NewFile_WritesHeaderOnly()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "sub", "r.csv");
        Assert.Empty(StudyResultsFile.PrepareForAppend(path, Schema));
        Assert.Equal(Schema + "\n", File.ReadAllText(path));
    }

    [Fact]
    public void PrepareForAppend_DifferentColumns_ThrowsNamingBoth()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "r.csv");
        StudyResultsFile.Write(path, Schema, [Row(0)]);
        var other = new StudyResultsSchema(["snip"], "cifar10valid_split_test");
        var ex = Assert.Throws<InvalidDataException>(() => StudyResultsFile.PrepareForAppend(path, other));
        Assert.Contains("snip", ex.Message, StringComparison.Ordinal);
        Assert.Contains("naswot", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MalformedCompleteRow_ThrowsNamingFileAndLine()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "r.csv");
        File.WriteAllText(path, Schema + "\n0,|a~0|,1,2,3,0,0\n1,|b~0|,1,2\n");
        var ex = Assert.Throws<InvalidDataException>(() => StudyResultsFile.Read(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_OverlappingFiles_DedupesAndOrdersByIndex()
    {
        using var dir = new TempDirectory();
        var a = Path.Combine(dir.Path, "a.csv");
        var b = Path.Combine(dir.Path, "b.csv");
        StudyResultsFile.Write(a, Schema, [Row(4), Row(0)]);
        StudyResultsFile.Write(b, Schema, [Row(2), Row(4) with { Seconds = [9, 9] }]);
        var (schema, rows, duplicates) = StudyResultsFile.Merge([a, b]);
        Assert.Equal(Schema, schema);
        Assert.Equal([0, 2, 4], rows.Select(r => r.Index));
        Assert.Equal(1, duplicates);
    }

    [Fact]
    public void Merge_ConflictingDuplicate_ThrowsNamingIndexAndFiles()
    {
        using var dir = new TempDirectory();
        var a = Path.Combine(dir.Path, "a.csv");
        var b = Path.Combine(dir.Path, "b.csv");
        StudyResultsFile.Write(a, Schema, [Row(7)]);
        StudyResultsFile.Write(b, Schema, [Row(7, a: 1.5000001)]);
        var ex = Assert.Throws<InvalidDataException>(() => StudyResultsFile.Merge([a, b]));
        Assert.Contains("7", ex.Message, StringComparison.Ordinal);
        Assert.Contains(a, ex.Message, StringComparison.Ordinal);
        Assert.Contains(b, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_DifferentColumns_Throws()
    {
        using var dir = new TempDirectory();
        var a = Path.Combine(dir.Path, "a.csv");
        var b = Path.Combine(dir.Path, "b.csv");
        StudyResultsFile.Write(a, Schema, [Row(1)]);
        StudyResultsFile.Write(b, new StudyResultsSchema(["synflow", "naswot"], "cifar100_test"), [Row(2)]);
        Assert.Throws<InvalidDataException>(() => StudyResultsFile.Merge([a, b]));
    }

    [Fact]
    public void Schema_DuplicateProxy_Throws()
    {
        Assert.Throws<ArgumentException>(() => new StudyResultsSchema(["snip", "snip"], "t"));
        Assert.Throws<ArgumentException>(() => new StudyResultsSchema(["arch"], "t"));
    }

    [Fact]
    public void StudySample_SeededSubset_IsSortedDistinctAndReproducible()
    {
        var all = Enumerable.Range(0, 15625).ToList();
        var a = StudySample.Select(all, 1000, 42);
        Assert.Equal(1000, a.Distinct().Count());
        Assert.Equal(a.Order(), a);
        Assert.Equal(a, StudySample.Select(all, 1000, 42));
        Assert.NotEqual(a, StudySample.Select(all, 1000, 43));
        Assert.Equal(all, StudySample.Select(all, null, 42));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudySample.Select(all, 15626, 42));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudySample.Select(all, 0, 42));
    }
}
