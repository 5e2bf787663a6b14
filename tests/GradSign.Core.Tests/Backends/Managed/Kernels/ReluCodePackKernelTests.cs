using System.Numerics;
using GradSign.Backends.Managed.Kernels;
using GradSign.Internal;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary><see cref="ReluCodePack"/> against the one-bit-at-a-time definition, with ±0, NaN, ±∞ and partial words.</summary>
[Trait("Category", "Kernels")]
public class ReluCodePackKernelTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 63)]
    [InlineData(2, 64)]
    [InlineData(3, 65)]
    [InlineData(2, 200)]
    [InlineData(4, 1024)]
    public void Run_SpecialAndRandomValues_MatchScalarDefinition(int batch, int units)
    {
        Check<float>(batch, units);
        Check<double>(batch, units);
    }

    private static void Check<T>(int batch, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new SplitMix64((ulong)((batch * 1000) + units));
        T[] specials = [T.Zero, -T.Zero, T.NaN, T.PositiveInfinity, T.NegativeInfinity, T.Epsilon, -T.Epsilon];
        var x = new T[batch * units];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = rng.NextInt(5) == 0 ? specials[rng.NextInt(specials.Length)] : T.CreateTruncating(rng.NextGaussian());
        }

        var words = (units + 63) / 64;
        var bits = new ulong[batch * words];
        Array.Fill(bits, ulong.MaxValue); // every word must be overwritten
        ReluCodePack.Run<T>(x, batch, units, words, bits);
        for (var n = 0; n < batch; n++)
        {
            for (var u = 0; u < words * 64; u++)
            {
                var expected = u < units && x[(n * units) + u] > T.Zero;
                var actual = ((bits[(n * words) + (u / 64)] >> (u % 64)) & 1) == 1;
                Assert.True(expected == actual, $"sample {n}, unit {u}: expected {expected}");
            }
        }
    }
}
