using System.Globalization;
using System.IO.Compression;
using CsvHelper;
using GradSign.Networks;
using GradSign.SearchSpaces.NasBench201;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Networks;

public class NetworkCostTests
{
    [Fact]
    public void MultiplyAccumulates_TinyNetwork_HandCounted()
    {
        var b = new NetworkBuilder(3, 8, 8);
        var x = b.Conv2d(NetworkBuilder.Input, 4, kernel: 3, stride: 2, padding: 1, bias: true, weightName: "c.weight"); // 4x4x4 out
        x = b.Relu(b.BatchNorm(x, "bn"));
        b.Linear(b.GlobalAvgPool(x), 5, "fc");
        var spec = b.Build();
        Assert.Equal((4 * 4 * 4 * 3 * 9) + (4 * 5), NetworkCost.MultiplyAccumulates(spec));
        Assert.Equal((4 * 3 * 9) + 4 + 8 + 20 + 5, NetworkCost.Parameters(spec));
    }

    [RequiresDataFact]
    public void Parameters_OfficialVariant_MatchNasBenchSuiteZeroParamsColumn()
    {
        // zc_c10_params (millions, 6 decimals) is filled for the cells without dead edges.
        var path = Path.Combine(SharedPaths.Data!, "nas-bench-201", "nb201.csv.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var options = new NasBench201NetworkOptions(Variant: NasBench201Variant.Official);
        var checkedRows = 0;
        while (csv.Read())
        {
            var field = csv.GetField("zc_c10_params");
            if (string.IsNullOrEmpty(field) || checkedRows >= 2000)
            {
                continue;
            }

            var expected = double.Parse(field, CultureInfo.InvariantCulture) * 1e6;
            var spec = NasBench201Network.Build(csv.GetField("arch")!, options);
            Assert.Equal(expected, NetworkCost.Parameters(spec), 0.5);
            checkedRows++;
        }

        Assert.Equal(2000, checkedRows);
    }
}
