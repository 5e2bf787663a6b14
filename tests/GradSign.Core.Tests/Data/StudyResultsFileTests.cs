using GradSign.Cli.Results;

namespace GradSign.Tests.Data;

public class StudyResultsFileTests
{
    private static readonly StudyResultsSchema Schema = new(["synflow", "naswot"], "cifar10valid_split_test");

    private static StudyRow Row(int index, double a = 1.5, double b = -2.25) => new(index, $"|arch~{index}|", [a, b], 90 + index, [0.01, 0.02]);

    private static readonly StudySettings Settings = new(new Dictionary<string, string> { ["batch"] = "64", ["seed"] = "42", ["info.build"] = "1.0" });

    private static StudySettings With(string key, string value)
        => new(Settings.Values.Where(v => v.Key != key).Append(new(key, value)));

    private static IReadOnlyList<StudyRow> Append(string path, StudySettings settings, StudyResultsSchema schema, params StudyRow[] rows)
    {
        using var writer = StudyResultsWriter.OpenForAppend(path, settings, schema, out var existing);
        foreach (var row in rows)
        {
            writer.Append(row);
        }

        return existing;
    }

    [Fact]
    public void WriteThenRead_RoundTripsValuesAndSettingsExactly()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "r.csv");
        StudyRow[] rows = [new(3, "|nor_conv_3x3~0|+|none~0|skip_connect~1|", [0.1 + 0.2, double.NaN], 93.12345678901234, [1.25, 0]), new(1, "|x~0|", [double.NegativeInfinity, 5e-300], double.NaN, [0, 0])];
        StudyResultsFile.Write(path, Settings, Schema, rows);
        var read = StudyResultsFile.Read(path);
        Assert.Equal(Schema, read.Schema);
        Assert.Equal(Settings.Values, read.Settings!.Values);
        Assert.Equal(0, read.PartialTailBytes);
        Assert.Equal(2, read.Rows.Count);
        Assert.True(rows[0].SameResult(read.Rows[0]));
        Assert.True(rows[1].SameResult(read.Rows[1]));
        Assert.Equal(1.25, read.Rows[0].Seconds[0]);
        Assert.Equal(
            ["# gradsign-study {\"batch\":\"64\",\"info.build\":\"1.0\",\"seed\":\"42\"}", "index,arch,synflow,naswot,cifar10valid_split_test,seconds_synflow,seconds_naswot"],
            File.ReadLines(path).Take(2));
    }

    [Fact]
    public void Write_RowsThrow_LeavesNoFile()
    {
        // merge writes its output with Write: a failure part-way must not leave a header-only (or partial) file.
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "r.csv");
        IEnumerable<StudyRow> Failing()
        {
            yield return Row(0);
            throw new InvalidDataException("boom");
        }

        Assert.Throws<InvalidDataException>(() => StudyResultsFile.Write(path, Settings, Schema, Failing()));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void OpenForAppend_UnterminatedLastLine_IsCutOff()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "r.csv");
        StudyResultsFile.Write(path, Settings, Schema, [Row(0), Row(1)]);
        var complete = File.ReadAllBytes(path);
        File.AppendAllText(path, "2,|arch~2|,1.5,-2.2");
        Assert.Equal(19, StudyResultsFile.Read(path).PartialTailBytes);
        var rows = Append(path, Settings, Schema);
        Assert.Equal([0, 1], rows.Select(r => r.Index));
        Assert.Equal(complete, File.ReadAllBytes(path));
    }

    [Fact]
    public void OpenForAppend_NewFile_WritesSettingsAndHeaderThenRows()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "sub", "r.csv");
        Assert.Empty(Append(path, Settings, Schema, Row(5)));
        Assert.Equal(
            [StudyResultsFile.SettingsPrefix + Settings.ToJson(), Schema.ToString(), "5,|arch~5|,1.5,-2.25,95,0.01,0.02"],
            File.ReadAllLines(path));
        Assert.Equal([5], Append(path, Settings, Schema).Select(r => r.Index));
    }

    [Fact]
    public void OpenForAppend_DifferentColumns_ThrowsNamingBoth()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "r.csv");
        StudyResultsFile.Write(path, Settings, Schema, [Row(0)]);
        var other = new StudyResultsSchema(["snip"], "cifar10valid_split_test");
        var ex = Assert.Throws<InvalidDataException>(() => Append(path, Settings, other));
        Assert.Contains("snip", ex.Message, StringComparison.Ordinal);
        Assert.Contains("naswot", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenForAppend_DifferentScoreSetting_ThrowsNamingIt()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "r.csv");
        StudyResultsFile.Write(path, Settings, Schema, [Row(0)]);
        var before = File.ReadAllBytes(path);
        var ex = Assert.Throws<InvalidDataException>(() => Append(path, With("batch", "32"), Schema, Row(1)));
        Assert.Contains("batch=64 (here: 32)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));

        // Informational settings (the build) are recorded, never compared.
        Assert.Single(Append(path, With("info.build", "2.0"), Schema));
    }

    [Fact]
    public void OpenForAppend_FileWithoutSettingsLine_Throws()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "r.csv");
        File.WriteAllText(path, Schema + "\n0,|a~0|,1,2,3,0,0\n");
        Assert.Null(StudyResultsFile.Read(path).Settings);
        var ex = Assert.Throws<InvalidDataException>(() => Append(path, Settings, Schema));
        Assert.Contains("no settings line", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenForAppend_WhileAnotherWriterHoldsTheFile_ThrowsIOException()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "r.csv");
        using (StudyResultsWriter.OpenForAppend(path, Settings, Schema, out _))
        {
            var ex = Assert.Throws<IOException>(() => StudyResultsWriter.OpenForAppend(path, Settings, Schema, out _));
            Assert.Contains("locked by another process", ex.Message, StringComparison.Ordinal);
        }

        Assert.Empty(Append(path, Settings, Schema));
    }

    [Fact]
    public void Read_ByteOrderMarkAndCrLf_AreAccepted_ButNotAppendedTo()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "r.csv");
        StudyResultsFile.Write(path, Settings, Schema, [Row(0), Row(1)]);
        var text = File.ReadAllText(path).Replace("\n", "\r\n", StringComparison.Ordinal);
        File.WriteAllText(path, text, new System.Text.UTF8Encoding(true));
        var read = StudyResultsFile.Read(path);
        Assert.Equal([0, 1], read.Rows.Select(r => r.Index));
        Assert.Equal(Settings, read.Settings);
        var ex = Assert.Throws<InvalidDataException>(() => Append(path, Settings, Schema));
        Assert.Contains("CRLF", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 1 is the first", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("byte-order mark", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenForAppend_ByteOrderMarkWithLfLines_IsResumed()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "r.csv");
        StudyResultsFile.Write(path, Settings, Schema, [Row(0), Row(1)]);
        File.WriteAllBytes(path, [.. System.Text.Encoding.UTF8.Preamble, .. File.ReadAllBytes(path)]);
        Assert.Equal([0, 1], Append(path, Settings, Schema, Row(2)).Select(r => r.Index));
        Assert.Equal([0, 1, 2], StudyResultsFile.Read(path).Rows.Select(r => r.Index));
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
    public void Read_UnbalancedQuote_ThrowsOneLineNamingFile()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "r.csv");
        File.WriteAllText(path, StudyResultsFile.SettingsPrefix + Settings.ToJson() + "\n" + Schema + "\n0,\"|a~0|,1,2,3,0,0\n1,|b~0|,1,2,3,0,0\n");
        var ex = Assert.Throws<InvalidDataException>(() => StudyResultsFile.Read(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_OverlappingFiles_DedupesAndOrdersByIndex()
    {
        using var dir = new TempDirectory();
        var a = Path.Combine(dir.Path, "a.csv");
        var b = Path.Combine(dir.Path, "b.csv");
        StudyResultsFile.Write(a, Settings, Schema, [Row(4), Row(0)]);
        StudyResultsFile.Write(b, With("info.build", "2.0"), Schema, [Row(2), Row(4) with { Seconds = [9, 9] }]);
        var (settings, schema, rows, duplicates) = StudyResultsFile.Merge([a, b]);
        Assert.Equal(Settings.Values, settings.Values);
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
        StudyResultsFile.Write(a, Settings, Schema, [Row(7)]);
        StudyResultsFile.Write(b, Settings, Schema, [Row(7, a: 1.5000001)]);
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
        StudyResultsFile.Write(a, Settings, Schema, [Row(1)]);
        StudyResultsFile.Write(b, Settings, new StudyResultsSchema(["synflow", "naswot"], "cifar100_test"), [Row(2)]);
        Assert.Throws<InvalidDataException>(() => StudyResultsFile.Merge([a, b]));
    }

    [Fact]
    public void Merge_DifferentSettingsOrNone_ThrowsNamingFiles()
    {
        using var dir = new TempDirectory();
        var a = Path.Combine(dir.Path, "a.csv");
        var b = Path.Combine(dir.Path, "b.csv");
        var bare = Path.Combine(dir.Path, "bare.csv");
        StudyResultsFile.Write(a, Settings, Schema, [Row(1)]);
        StudyResultsFile.Write(b, With("seed", "7"), Schema, [Row(2)]);
        File.WriteAllText(bare, Schema + "\n");
        var ex = Assert.Throws<InvalidDataException>(() => StudyResultsFile.Merge([a, b]));
        Assert.Contains("seed=7", ex.Message, StringComparison.Ordinal);
        Assert.Contains(a, ex.Message, StringComparison.Ordinal);
        Assert.Contains("no settings line", Assert.Throws<InvalidDataException>(() => StudyResultsFile.Merge([a, bare])).Message, StringComparison.Ordinal);
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
