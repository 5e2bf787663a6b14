using GradSign.Backends;

namespace GradSign.Tests.Backends;

[Trait("Category", "Kernels")]
public class SignAccumulatorTests
{
    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        foreach (var n in Enumerable.Range(0, 40).Concat([63, 64, 65, 127, 255, 256, 1000, 1003]))
        {
            data.Add(n);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Accumulate_RandomWithZerosAndNaN_MatchesScalarReference(int n)
    {
        double[] special = [0.0, -0.0, double.NaN, double.Epsilon, -double.Epsilon, double.PositiveInfinity, double.NegativeInfinity, 1e-300];
        AssertMatchesScalarReference(n, special, x => x);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Accumulate_Float32RandomWithZerosAndNaN_MatchesScalarReference(int n)
    {
        float[] special = [0f, -0f, float.NaN, float.Epsilon, -float.Epsilon, float.PositiveInfinity, float.NegativeInfinity, 1e-40f];
        AssertMatchesScalarReference(n, special, x => (float)x);
    }

    private static void AssertMatchesScalarReference<T>(int n, T[] special, Func<double, T> fromDouble)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(n); // test data only
        var counts = new int[n];
        var flags = new int[n];
        var expectedCounts = new int[n];
        var expectedNan = new bool[n];
        for (var sample = 0; sample < 5; sample++)
        {
            var g = new T[n];
            for (var k = 0; k < n; k++)
            {
                g[k] = rng.Next(4) == 0 ? special[rng.Next(special.Length)] : fromDouble(rng.NextDouble() - 0.5);
                if (T.IsNaN(g[k]))
                {
                    expectedNan[k] = true;
                }
                else
                {
                    expectedCounts[k] += g[k] > T.Zero ? 1 : g[k] < T.Zero ? -1 : 0;
                }
            }

            SignAccumulator.Accumulate<T>(g, counts, flags);
        }

        for (var k = 0; k < n; k++)
        {
            Assert.Equal(expectedNan[k], flags[k] != 0);
            if (!expectedNan[k])
            {
                Assert.Equal(expectedCounts[k], counts[k]);
            }
        }
    }

    [Fact]
    public void Accumulate_NegativeZero_CountsAsZero()
    {
        var g = Enumerable.Repeat(-0.0, 11).ToArray();
        var counts = new int[11];
        var flags = new int[11];
        SignAccumulator.Accumulate<double>(g, counts, flags);
        Assert.All(counts, c => Assert.Equal(0, c));
        Assert.All(flags, f => Assert.Equal(0, f));
    }

    [Fact]
    public void AbsoluteSum_DropsNaNColumns_AndCountsThem()
    {
        // Columns: votes +3, −2, NaN-poisoned (+5 before), 0  →  |3| + |−2| + |0| = 5, one NaN column.
        int[] counts = [3, -2, 5, 0];
        int[] flags = [0, 0, -1, 0];
        var (sum, nans) = SignAccumulator.AbsoluteSum(counts, flags);
        Assert.Equal(5, sum);
        Assert.Equal(1, nans);
    }

    [Fact]
    public void Accumulate_MismatchedLengths_Throws()
        => Assert.Throws<ArgumentException>(() => SignAccumulator.Accumulate<double>(new double[3], new int[2], new int[3]));
}
