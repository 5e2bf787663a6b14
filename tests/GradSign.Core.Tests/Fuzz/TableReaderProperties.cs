using System.IO.Compression;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GradSign.Cli.Commands;
using GradSign.Data;
using GradSign.SearchSpaces.NasBench101;
using GradSign.SearchSpaces.NasBench201;
using GradSign.Tests.Data;

namespace GradSign.Tests.Fuzz;

/// <summary>The CSV table readers on damaged files: a table loads whole, or the reader throws
/// <see cref="InvalidDataException"/> with a one-line message — never another exception type.</summary>
[Trait("Category", "Fuzz")]
public sealed class TableReaderProperties : IDisposable
{
    private static readonly byte[] SmallTable = "index,arch,acc,flag,note\n0,|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,91.5,True,\"a, \"\"b\"\"\"\n1,x,,False,\"multi\nline\"\n2,y,-inf,,\r\n"u8.ToArray();

    private static readonly Lazy<byte[]> Nb201Table = new(() => Encoding.UTF8.GetBytes(SyntheticNasBench201.Csv("cifar10valid_split_test,has_dead_edge", i => $"{80 + (i % 13)}.5,{(i % 3 == 0 ? "True" : "False")}")));

    private static readonly byte[] Nb101Sample = Encoding.UTF8.GetBytes(
        "naslib_tuple,matrix,ops,nb101_hash,val_accuracy_108,zc_synflow\n"
        + "\"(0, 1)\",\"[[0, 1, 1], [0, 0, 1], [0, 0, 0]]\",\"[\"\"input\"\", \"\"conv3x3-bn-relu\"\", \"\"output\"\"]\",4a0ab8bbe2441a002e07b0f445ec2d63,92.5,1e10\n"
        + "\"(1, 0)\",\"[[0, 1], [0, 0]]\",\"[\"\"input\"\", \"\"output\"\"]\",0123456789abcdef0123456789abcdef,nan,\n");

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Property(MaxTest = 300)]
    public Property CsvTable_DamagedText_ReadsOrThrowsInvalidData()
        => Prop.ForAll(Mutator.Bytes(SmallTable).ToArbitrary(), bytes =>
        {
            var path = _dir.Write("t.csv", bytes);
            Outcome.ReturnsOrThrows(bytes, () => ReadEverything(path), typeof(InvalidDataException));
        });

    [Property(MaxTest = 300)]
    public Property CsvTable_DamagedGzip_ReadsOrThrowsInvalidData()
        => Prop.ForAll(Mutator.Bytes(Gzip(SmallTable)).ToArbitrary(), bytes =>
        {
            var path = _dir.Write("t.csv.gz", bytes);
            Outcome.ReturnsOrThrows(bytes, () => ReadEverything(path), typeof(InvalidDataException));
        });

    [Property(MaxTest = 40)]
    public Property NasBench201Table_DamagedTable_LoadsOrThrowsInvalidData()
        => Prop.ForAll(Mutator.Bytes(Nb201Table.Value).ToArbitrary(), bytes =>
        {
            var path = _dir.Write("nb201.csv", bytes);
            Outcome.ReturnsOrThrows("(a damaged NAS-Bench-201 table)", () => NasBench201Table.Load(path), typeof(InvalidDataException));
        });

    [Property(MaxTest = 300)]
    public Property NasBench101Sample_DamagedSample_LoadsOrThrowsInvalidData()
        => Prop.ForAll(Mutator.Bytes(Nb101Sample).ToArbitrary(), bytes =>
        {
            var path = _dir.Write("nb101.csv", bytes);
            Outcome.ReturnsOrThrows(bytes, () => NasBench101Sample.Load(path), typeof(InvalidDataException));
        });

    /// <summary><c>gradsign stats</c>' reader: bad data is <see cref="InvalidDataException"/> (exit 1); only a column the
    /// file lacks is an <see cref="ArgumentException"/> (exit 2, the option is wrong).</summary>
    [Property(MaxTest = 300)]
    public Property StatsReader_DamagedCsv_ReadsOrThrowsInvalidData()
        => Prop.ForAll(Mutator.Bytes(SmallTable, "x,y\n1,2\n3,nan\n-inf,1e308\n"u8.ToArray()).ToArbitrary(), bytes =>
        {
            var path = _dir.Write("s.csv", bytes);
            foreach (var (x, y) in new[] { ("index", "acc"), ("x", "y") })
            {
                Outcome.ReturnsOrThrows(bytes, () => ColumnsOrOptionError(path, x, y), typeof(InvalidDataException));
            }
        });

    [Fact]
    public void Missing_File_IsFileNotFound()
    {
        var path = Path.Combine(_dir.Path, "none.csv");
        Assert.Throws<FileNotFoundException>(() => NasBench201Table.Load(path));
        Assert.Throws<FileNotFoundException>(() => NasBench101Sample.Load(path));
        Assert.Throws<FileNotFoundException>(() => CsvTable.Open(path));
    }

    private static void ReadEverything(string path)
    {
        var table = CsvTable.Open(path, "index", "arch");
        foreach (var (line, fields) in table.Rows())
        {
            for (var i = 0; i < fields.Length; i++)
            {
                var (field, column) = (fields[i], table.Header[i]);
                Outcome.ReturnsOrThrows(field, () => CsvTable.ParseDouble(field, path, line, column), typeof(InvalidDataException));
                Outcome.ReturnsOrThrows(field, () => CsvTable.ParseBool(field, path, line, column), typeof(InvalidDataException));
            }
        }
    }

    /// <summary>Reads two columns; a column the file lacks is the option's fault and must say so.</summary>
    private static void ColumnsOrOptionError(string path, string x, string y)
    {
        try
        {
            StatsCommand.ReadColumns(new FileInfo(path), x, y);
        }
        catch (ArgumentException ex) when (ex.Message.StartsWith("--x", StringComparison.Ordinal) || ex.Message.StartsWith("--y", StringComparison.Ordinal))
        {
            // the usage error for a missing column (exit 2)
        }
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }
}
