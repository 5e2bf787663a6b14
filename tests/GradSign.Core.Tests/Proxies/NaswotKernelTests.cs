using GradSign.Cli.Fixtures;
using GradSign.Networks;
using GradSign.Proxies;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Proxies;

public class NaswotKernelTests
{
    public static TheoryData<string> FixtureCases() => FixtureData.Of(SharedPaths.Fixtures);

    public static TheoryData<string> ExtCases() => FixtureData.Of(SharedPaths.FixturesExt, n => n.StartsWith("nb101", StringComparison.Ordinal));

    private static ulong[] Pack(bool[][] codes, int units)
    {
        var words = (units + 63) / 64;
        var bits = new ulong[codes.Length * words];
        for (var n = 0; n < codes.Length; n++)
        {
            for (var u = 0; u < units; u++)
            {
                if (codes[n][u])
                {
                    bits[(n * words) + (u / 64)] |= 1UL << (u % 64);
                }
            }
        }

        return bits;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(5, 63, 1)]
    [InlineData(5, 64, 2)]
    [InlineData(7, 130, 2)]
    [InlineData(16, 300, 1)]
    [InlineData(9, 1100, 1)]
    [InlineData(6, 512, 3)]
    [InlineData(65, 4109, 1, 2)] // enough pairs × words for the threads: rows split by pair count
    [InlineData(67, 4200, 2, 3)]
    public void Add_RandomCodes_EqualsDenseDefinition(int count, int units, int multiplicity, int threads = 1)
    {
        var rng = new Random(count * 1000 + units); // test data only
        var codes = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, units).Select(_ => rng.Next(2) == 1).ToArray()).ToArray();
        var kernel = new NaswotKernel(count, threads);
        kernel.Add(Pack(codes, units), units, (units + 63) / 64, multiplicity);

        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < count; j++)
            {
                // m·(c cᵀ + (1 − c)(1 − c)ᵀ)
                long expected = 0;
                for (var u = 0; u < units; u++)
                {
                    var a = codes[i][u] ? 1 : 0;
                    var b = codes[j][u] ? 1 : 0;
                    expected += (a * b) + ((1 - a) * (1 - b));
                }

                Assert.Equal(multiplicity * expected, kernel[i, j]);
            }
        }
    }

    [Fact]
    public void Add_RepeatedAndChangedBlocks_EqualsSumOfSeparateKernels()
    {
        // Consecutive identical blocks reuse their Hamming distances; a changed block (same or other size) must not.
        var rng = new Random(7); // test data only
        bool[][] Codes(int count, int units) => [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, units).Select(_ => rng.Next(2) == 1).ToArray())];
        var count = 9;
        var blocks = new (bool[][] Codes, int Units, int Multiplicity)[]
        {
            (Codes(count, 130), 130, 1),
            default,
            (Codes(count, 130), 130, 1),
            (Codes(count, 70), 70, 1),
        };
        blocks[1] = (blocks[0].Codes, 130, 2);
        var combined = new NaswotKernel(count);
        var separate = blocks.Select(_ => new NaswotKernel(count)).ToArray();
        for (var b = 0; b < blocks.Length; b++)
        {
            var (codes, units, m) = blocks[b];
            var bits = Pack(codes, units);
            combined.Add(bits, units, (units + 63) / 64, m);
            separate[b].Add(bits, units, (units + 63) / 64, m);
        }

        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < count; j++)
            {
                Assert.Equal(separate.Sum(k => k[i, j]), combined[i, j]);
            }
        }
    }

    [Fact]
    public void LogAbsDeterminant_TwoByTwo_MatchesClosedForm()
    {
        // det [[5, 3], [3, 5]] = 16.
        Assert.Equal(Math.Log(16), NaswotKernel.LogAbsDeterminant(new double[,] { { 5, 3 }, { 3, 5 } }), 14);
        // Negative determinant: |det [[1, 2], [3, 4]]| = 2.
        Assert.Equal(Math.Log(2), NaswotKernel.LogAbsDeterminant(new double[,] { { 1, 2 }, { 3, 4 } }), 14);
    }

    [Fact]
    public void LogAbsDeterminant_IdenticalCodesForTwoSamples_IsNegativeInfinity()
    {
        bool[][] codes = [[true, false, true], [true, false, true], [false, false, true]];
        var kernel = new NaswotKernel(3);
        kernel.Add(Pack(codes, 3), 3, 1, 2);
        Assert.True(kernel.IsSingular());
        Assert.Equal(double.NegativeInfinity, kernel.LogAbsDeterminant());
    }

    [Fact]
    public void LogAbsDeterminant_AllSamplesAgreeEverywhere_IsNegativeInfinity()
    {
        // The all-none network: every ReLU input is zero, so every code is all-false and K has equal entries.
        var kernel = new NaswotKernel(8);
        kernel.Add(new ulong[8 * 3], 150, 3, 2);
        kernel.Add(new ulong[8], 10, 1, 1);
        Assert.Equal(310, kernel[3, 5]);
        Assert.Equal(double.NegativeInfinity, kernel.LogAbsDeterminant());
    }

    [Fact]
    public void LogAbsDeterminant_SmallKernel_MatchesHandComputed()
    {
        // Codes 100, 010, 110 → K = [[3,1,2],[1,3,2],[2,2,3]], det = 3·5 − 1·(−1) + 2·(−4) = 8.
        bool[][] codes = [[true, false, false], [false, true, false], [true, true, false]];
        var kernel = new NaswotKernel(3);
        kernel.Add(Pack(codes, 3), 3, 1, 1);
        Assert.Equal(2, kernel[0, 2]);
        Assert.False(kernel.IsSingular());
        Assert.Equal(Math.Log(8), kernel.LogAbsDeterminant(), 12);
    }

    [Fact]
    public void IsSingular_RankDeficientWithoutEqualRows_IsDetected()
    {
        // [[1,2,3],[4,5,6],[7,8,9]] has det 0, but floating-point LU leaves a pivot of order 1e-16, not 0.
        var small = NaswotKernel.FromEntries(3, (i, j) => (3 * i) + j + 1);
        Assert.True(small.IsSingular());
        Assert.Equal(double.NegativeInfinity, small.LogAbsDeterminant());

        // A 40×40 integer matrix whose last row is a combination of three others.
        var rng = new Random(5); // test data only
        var m = new long[40, 40];
        for (var i = 0; i < 39; i++)
        {
            for (var j = 0; j < 40; j++)
            {
                m[i, j] = rng.Next(100_000);
            }
        }

        for (var j = 0; j < 40; j++)
        {
            m[39, j] = m[3, j] + (2 * m[7, j]) - m[11, j];
        }

        Assert.True(NaswotKernel.FromEntries(40, (i, j) => m[i, j]).IsSingular());
        m[39, 0]++;
        Assert.False(NaswotKernel.FromEntries(40, (i, j) => m[i, j]).IsSingular());
    }

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void LogAbsDeterminant_OracleKernels_MatchValue(string caseName)
    {
        AssertOracleKernel(OracleFixture.Load(Path.Combine(SharedPaths.Fixtures, caseName)));
    }

    [Theory]
    [MemberData(nameof(ExtCases))]
    public void LogAbsDeterminant_Nb101OracleKernels_MatchValue(string caseName)
    {
        AssertOracleKernel(OracleFixture.Load(Path.Combine(SharedPaths.FixturesExt, caseName)));
    }

    [Fact]
    public void MultiplicityOf_WrapperNamedRelu_TwiceUnderReference_OnceOtherwise()
    {
        var spec = TinyNetworks.Spec();
        var wrapped = (ReluLayer)spec.Layers[3];
        var plain = (ReluLayer)spec.Layers[5];
        Assert.Equal(2, NaswotProxy.MultiplicityOf(wrapped, NaswotReluMultiplicity.Reference));
        Assert.Equal(1, NaswotProxy.MultiplicityOf(plain, NaswotReluMultiplicity.Reference));
        Assert.Equal(1, NaswotProxy.MultiplicityOf(wrapped, NaswotReluMultiplicity.Once));
    }

    private static void AssertOracleKernel(OracleFixture fixture)
    {
        var k = fixture.ExpectedMatrix(ProxyIds.Naswot, "K");
        var expected = fixture.ExpectedProxy(ProxyIds.Naswot);
        var kernel = NaswotKernel.FromEntries(k.GetLength(0), (i, j) => checked((long)k[i, j]));
        var actual = kernel.LogAbsDeterminant();
        if (double.IsNegativeInfinity(expected))
        {
            Assert.Equal(double.NegativeInfinity, actual);
        }
        else
        {
            Assert.True(Math.Abs(actual - expected) <= 1e-10 * Math.Abs(expected), $"log|det K| = {actual:R}, expected {expected:R}");
        }
    }
}
