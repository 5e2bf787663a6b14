using GradSign.Internal;
using GradSign.Statistics;

namespace GradSign.Tests.Statistics;

public class RadixSortTests
{
    public static TheoryData<int> Lengths => new() { 0, 1, 2, 7, RadixSort.Threshold - 1, RadixSort.Threshold, RadixSort.Threshold + 1, 1000, 4097 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Sort_MixedSpecialValues_MatchesStableOrderBy(int n)
    {
        var random = new SplitMix64((ulong)n + 1);
        double[] specials = [double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 1.0, -1.0];
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = random.NextInt(4) switch
            {
                0 => specials[random.NextInt(specials.Length)],
                1 => Math.Round(random.NextGaussian() * 3),
                _ => random.NextGaussian() * Math.Pow(10, random.NextInt(40) - 20),
            };
        }

        var sorted = new double[n];
        var order = new int[n];
        RadixSort.Sort(values, sorted, order, new CorrelationWorkspace());

        // Expected: numeric order with −0.0 == +0.0; the radix path is also stable.
        var expected = Enumerable.Range(0, n).OrderBy(i => values[i]).ToArray();
        for (var k = 0; k < n; k++)
        {
            Assert.Equal(values[expected[k]], sorted[k]);
            Assert.Equal(values[order[k]], sorted[k]);
            if (n >= RadixSort.Threshold)
            {
                Assert.Equal(expected[k], order[k]);
            }
        }

        Assert.Equal(Enumerable.Range(0, n), order.Order());
    }

    [Fact]
    public void OrderedKey_SpecialValues_PreserveNumericOrder()
    {
        double[] ascending = [double.NegativeInfinity, double.MinValue, -1, -double.Epsilon, 0, double.Epsilon, 1, double.MaxValue, double.PositiveInfinity];
        var keys = ascending.Select(RadixSort.ToOrderedKey).ToArray();
        Assert.Equal(keys.Order(), keys);
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.Equal(RadixSort.ToOrderedKey(0.0), RadixSort.ToOrderedKey(-0.0));
        Assert.All(ascending, v => Assert.Equal(v, RadixSort.FromOrderedKey(RadixSort.ToOrderedKey(v))));
    }
}
