using GradSign.Search;

namespace GradSign.Tests.Search;

public class CategoricalKdeTests
{
    private static readonly int[][] Data = [[0, 2], [0, 1], [3, 2], [0, 2]];

    [Fact]
    public void Bandwidths_FollowTheNormalReferenceRuleWithPopulationStd()
    {
        // Column 0 holds 0, 0, 3, 0: mean 0.75, population variance (3·0.5625 + 5.0625)/4 = 1.6875.
        // Column 1 holds 2, 1, 2, 2: mean 1.75, population variance (3·0.0625 + 0.5625)/4 = 0.1875.
        var factor = Math.Pow(4, -1.0 / (4 + 2));
        Assert.Equal(1.06 * Math.Sqrt(1.6875) * factor, CategoricalKde.NormalReference(Data, 0), 12);
        Assert.Equal(1.06 * Math.Sqrt(0.1875) * factor, CategoricalKde.NormalReference(Data, 1), 12);
        var kde = new CategoricalKde(Data, 5, minBandwidth: 0.3);
        // Column 0's raw bandwidth (≈ 1.09) exceeds the uniform kernel's (c − 1)/c = 0.8; column 1's (≈ 0.37) is kept.
        Assert.Equal(0.8, kde.Bandwidths[0], 12);
        Assert.Equal(1.06 * Math.Sqrt(0.1875) * factor, kde.Bandwidths[1], 12);
    }

    [Fact]
    public void Bandwidths_AgreeingColumn_FloorAtMinimum()
    {
        var kde = new CategoricalKde([[1, 4], [1, 0], [1, 2]], 5, minBandwidth: 0.3);
        Assert.Equal(0.3, kde.Bandwidths[0], 12);
        Assert.Equal(0.0, new CategoricalKde([[1], [1]], 5, 0.0).Bandwidths[0]);
        Assert.Equal(0.5, CategoricalKde.Bandwidth(2.0, 0.1, 2));
        Assert.Equal(0.1, CategoricalKde.Bandwidth(0.01, 0.1, 5));
    }

    [Fact]
    public void Pdf_EqualsTheAitchisonAitkenProductAverage()
    {
        var kde = new CategoricalKde(Data, 5, 0.3);
        var l0 = kde.Bandwidths[0];
        var l1 = kde.Bandwidths[1];
        double K(double lambda, int a, int b) => a == b ? 1 - lambda : lambda / 4;
        foreach (var x in new[] { new[] { 0, 2 }, [3, 1], [4, 4], [0, 1] })
        {
            var expected = Data.Average(row => K(l0, x[0], row[0]) * K(l1, x[1], row[1]));
            Assert.Equal(expected, kde.Pdf(x), 14);
        }

        // Written out for x = (0, 2): rows 1 and 4 match both, row 2 matches edge 0 only, row 3 matches edge 1 only.
        var manual = ((2 * (1 - l0) * (1 - l1)) + ((1 - l0) * (l1 / 4)) + ((l0 / 4) * (1 - l1))) / 4;
        Assert.Equal(manual, kde.Pdf([0, 2]), 14);
    }

    [Fact]
    public void Pdf_SumsToOneOverTheWholeSpace()
    {
        var kde = new CategoricalKde([[0, 1, 2], [2, 2, 0], [1, 1, 1]], 3, 0.1);
        var sum = 0.0;
        for (var a = 0; a < 3; a++)
        {
            for (var b = 0; b < 3; b++)
            {
                for (var c = 0; c < 3; c++)
                {
                    sum += kde.Pdf([a, b, c]);
                }
            }
        }

        Assert.Equal(1.0, sum, 12);
    }

    [Fact]
    public void Sample_FrequenciesMatchThePdf()
    {
        // 3 categories × 2 dimensions = 9 points; 90,000 draws. Each frequency's standard error is below
        // sqrt(0.25/90000) ≈ 0.0017, so 0.008 is more than 4.5 standard errors.
        var kde = new CategoricalKde([[0, 1], [0, 2], [2, 2]], 3, 0.2);
        var random = new SearchRandom(11);
        var counts = new int[9];
        var draw = new int[2];
        const int draws = 90_000;
        for (var i = 0; i < draws; i++)
        {
            kde.Sample(random, draw);
            counts[(draw[0] * 3) + draw[1]]++;
        }

        for (var a = 0; a < 3; a++)
        {
            for (var b = 0; b < 3; b++)
            {
                Assert.InRange(counts[(a * 3) + b] / (double)draws, kde.Pdf([a, b]) - 0.008, kde.Pdf([a, b]) + 0.008);
            }
        }
    }

    [Fact]
    public void Constructor_BadData_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CategoricalKde([], 5, 0.3));
        Assert.Throws<ArgumentException>(() => new CategoricalKde([[0, 1], [1]], 5, 0.3));
        Assert.Throws<ArgumentException>(() => new CategoricalKde([[0, 5]], 5, 0.3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CategoricalKde([[0]], 1, 0.3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CategoricalKde([[0]], 5, 1.0));
        Assert.Throws<ArgumentException>(() => new CategoricalKde([[0]], 5, 0.3).Pdf([0, 1]));
    }
}
