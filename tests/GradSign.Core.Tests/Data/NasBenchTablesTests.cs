using GradSign.SearchSpaces.NasBench101;
using GradSign.SearchSpaces.NasBench201;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Data;

public class NasBenchTablesTests
{
    private static readonly Lazy<NasBench201Table> Table = new(() => NasBench201Table.LoadDefault(SharedPaths.Data!));

    [RequiresDataFact]
    public void LoadDefault_Nb201_Has15625RowsAndMaxCifar10TestAt6111()
    {
        var table = Table.Value;
        Assert.Equal(15625, table.Count);
        var best = table.Rows.MaxBy(r => r.Cifar10Test)!;
        Assert.Equal(6111, best.Index);
        Assert.Equal(94.373, best.Cifar10Test, 3);
        Assert.Equal(Enumerable.Range(0, 15625), table.Rows.Select(r => r.Index));
    }

    [RequiresDataFact]
    public void LoadDefault_Nb201_HasAccuracyAndPublishedScoreColumns()
    {
        var table = Table.Value;
        foreach (var column in new[]
        {
            "cifar10_test", "cifar100_test", "imagenet16_test", "cifar10_valid", "cifar100_valid", "imagenet16_valid",
            "cifar10valid_split_test", "cifar100_test_nb201api", "imagenet16_test_nb201api", "zc_c10_synflow", "zc_img_jacov", "zc_c100_zen",
        })
        {
            Assert.True(table.HasColumn(column), column);
        }

        Assert.DoesNotContain("arch", table.Columns);
        Assert.Equal(6466, table.Rows.Select(r => r.UniqueStr).Distinct().Count());
    }

    [RequiresDataFact]
    public void LoadDefault_Nb201_PublishedScoresEmptyForDeadEdgeCellsAsNaN()
    {
        var table = Table.Value;
        var alive = table.Rows.Where(r => r.HasDeadEdge == false).ToList();
        Assert.Equal(9445, alive.Count);
        Assert.All(alive, r => Assert.False(double.IsNaN(r["zc_c10_synflow"])));
        Assert.All(table.Rows.Where(r => r.HasDeadEdge == true), r => Assert.True(double.IsNaN(r["zc_c10_synflow"])));
    }

    [RequiresDataFact]
    public void GetByArch_RoundTripsIndex()
    {
        var table = Table.Value;
        var row = table.GetByIndex(6111);
        Assert.Same(row, table.GetByArch(row.Arch));
        Assert.False(table.TryGetByArch("|none~0|", out _));
        var ex = Assert.Throws<KeyNotFoundException>(() => table.GetByIndex(15625));
        Assert.Contains("15625", ex.Message, StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => row["no_such_column"]);
    }

    [RequiresDataFact]
    public void LoadTwelveEpoch_HasAllCellsWithSameArchs()
    {
        var twelve = NasBench201Table.LoadTwelveEpoch(SharedPaths.Data!);
        Assert.Equal(15625, twelve.Count);
        Assert.True(twelve.HasColumn("cifar10_valid_12ep"));
        Assert.Equal(Table.Value.GetByIndex(42).Arch, twelve.GetByIndex(42).Arch);
        Assert.True(double.IsNaN(twelve.GetByIndex(0).Cifar10Test));
    }

    [RequiresDataFact]
    public void NasBench101Sample_Has500RowsWith292DistinctCells()
    {
        var rows = NasBench101Sample.LoadDefault(SharedPaths.Data!);
        Assert.Equal(500, rows.Count);
        Assert.Equal(292, rows.Select(r => r.Hash).Distinct().Count());
        Assert.All(rows, r =>
        {
            Assert.Equal(r.Matrix.Count, r.Ops.Count);
            Assert.Equal("input", r.Ops[0]);
            Assert.Equal("output", r.Ops[^1]);
            Assert.InRange(r.ValidationAccuracy108, 0, 100);
        });
        Assert.True(rows[0].Values.ContainsKey("zc_synflow"));
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var zip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest))
        {
            zip.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    private static readonly string Complete = SyntheticNasBench201.Csv("cifar10_test,zc_c10_snip", i => i == 0 ? "90.5," : "80,1e-3");

    [Fact]
    public void Load_GzipAndPlain_EmptyCellsAreNaN()
    {
        using var dir = new TempDirectory();
        var plain = dir.Write("t.csv", System.Text.Encoding.UTF8.GetBytes(Complete));
        var gz = dir.Write("t.csv.gz", Gzip(Complete));
        foreach (var path in new[] { plain, gz })
        {
            var table = NasBench201Table.Load(path);
            Assert.Equal(15625, table.Count);
            Assert.True(double.IsNaN(table.GetByIndex(0)["zc_c10_snip"]));
            Assert.Equal(1e-3, table.GetByArch(SyntheticNasBench201.Arch(1))["zc_c10_snip"]);
            Assert.Null(table.GetByIndex(1).HasDeadEdge);
        }
    }

    [Theory]
    [InlineData(8)] // the gzip trailer (CRC32, ISIZE) cut off
    [InlineData(2000)] // part of the compressed data too
    public void Load_TruncatedGzip_ThrowsNamingFile(int cut)
    {
        using var dir = new TempDirectory();
        var bytes = Gzip(Complete);
        var path = dir.Write("t.csv.gz", bytes[..^cut]);
        var ex = Assert.Throws<InvalidDataException>(() => NasBench201Table.Load(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ShortButWellFormedTable_ThrowsIncomplete()
    {
        using var dir = new TempDirectory();
        var lines = Complete.Split('\n');
        var path = dir.Write("t.csv.gz", Gzip(string.Join("\n", lines.Take(8001)) + "\n"));
        var ex = Assert.Throws<InvalidDataException>(() => NasBench201Table.Load(path));
        Assert.Contains("8000 rows", ex.Message, StringComparison.Ordinal);
        Assert.Contains("15625", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LastLineCutInsideANumber_Throws()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("t.csv", System.Text.Encoding.UTF8.GetBytes(Complete[..^3]));
        var ex = Assert.Throws<InvalidDataException>(() => NasBench201Table.Load(path));
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("15625", "is not an integer in 0..15624")]
    [InlineData("-1", "is not an integer in 0..15624")]
    [InlineData("|nor_conv_3x3~0|+|bogus~0|none~1|+|none~0|none~1|none~2|", "not a canonical")]
    [InlineData("\"unbalanced", "malformed field")]
    public void Load_MalformedRow_ThrowsOneLineNamingFileAndRow(string replacement, string expected)
    {
        using var dir = new TempDirectory();
        var lines = Complete.Split('\n');
        var fields = lines[5].Split(',');
        fields[replacement.StartsWith('|') || replacement.StartsWith('"') ? 1 : 0] = replacement;
        lines[5] = string.Join(",", fields);
        var path = dir.Write("t.csv", System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines)));
        var ex = Assert.Throws<InvalidDataException>(() => NasBench201Table.Load(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateColumn_Throws()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("t.csv", System.Text.Encoding.UTF8.GetBytes(SyntheticNasBench201.Csv("cifar10_test,cifar10_test", _ => "1,2")));
        var ex = Assert.Throws<InvalidDataException>(() => NasBench201Table.Load(path));
        Assert.Contains("'cifar10_test' twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NonNumericCell_ThrowsNamingRowAndColumn()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("bad.csv", System.Text.Encoding.UTF8.GetBytes(SyntheticNasBench201.Csv("cifar10_test", i => i == 3 ? "ninety" : "90")));
        var ex = Assert.Throws<InvalidDataException>(() => NasBench201Table.Load(path));
        Assert.Contains("cifar10_test", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ninety", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateIndex_Throws()
    {
        using var dir = new TempDirectory();
        var csv = Complete.Replace($"\n1,{SyntheticNasBench201.Arch(1)},", $"\n0,{SyntheticNasBench201.Arch(1)},", StringComparison.Ordinal);
        var path = dir.Write("dup.csv", System.Text.Encoding.UTF8.GetBytes(csv));
        Assert.Throws<InvalidDataException>(() => NasBench201Table.Load(path));
    }

    [RequiresDataFact]
    public void LoadDefault_CopyThatDiffersFromChecksumList_Throws()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "nas-bench-201"));
        File.Copy(Path.Combine(SharedPaths.Data!, "SHA256SUMS"), Path.Combine(dir.Path, "SHA256SUMS"));
        var original = File.ReadAllBytes(Path.Combine(SharedPaths.Data!, NasBench201Table.DefaultFile));
        File.WriteAllBytes(Path.Combine(dir.Path, NasBench201Table.DefaultFile), original);
        Assert.Equal(15625, NasBench201Table.LoadDefault(dir.Path).Count);

        original[original.Length / 2] ^= 1;
        File.WriteAllBytes(Path.Combine(dir.Path, NasBench201Table.DefaultFile), original);
        var ex = Assert.Throws<InvalidDataException>(() => NasBench201Table.LoadDefault(dir.Path));
        Assert.Contains("SHA-256", ex.Message, StringComparison.Ordinal);
    }
}
