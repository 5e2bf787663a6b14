using System.Numerics;
using GradSign.Backends.Managed.Kernels;
using GradSign.Internal;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>Seeded inputs, odd-size geometry cases and the rounding-aware comparison shared by the kernel tests.</summary>
internal static class KernelTestData
{
    /// <summary>Uniform values in [−1, 1) from a seeded SplitMix64.</summary>
    public static T[] Random<T>(int length, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new SplitMix64(seed);
        var values = new T[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked((2 * rng.NextDouble()) - 1);
        }

        return values;
    }

    /// <summary>Element-wise |x|.</summary>
    public static T[] Abs<T>(T[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Array.ConvertAll(values, T.Abs);

    /// <summary>
    /// Asserts |actual − expected| ≤ 2·terms·ε·scale element-wise, where scale is the same computation on absolute values
    /// (Σ|products|): the standard worst-case bound γ_n ≈ n·ε for a sum of n products in any order, once for each side.
    /// A wrong index or a missing term gives errors of the order of scale itself, far above the bound.
    /// </summary>
    public static void AssertClose<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, ReadOnlySpan<T> scale, int terms, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        var factor = T.CreateChecked(2 * Math.Max(terms, 1)) * MachineEpsilon<T>();
        for (var i = 0; i < expected.Length; i++)
        {
            var error = T.Abs(actual[i] - expected[i]);
            if (!(error <= factor * scale[i]))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]}, expected {expected[i]} (|error| {error} > bound {factor * scale[i]}).");
            }
        }
    }

    /// <summary>Machine epsilon (2^−23 for float, 2^−52 for double).</summary>
    public static T MachineEpsilon<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => T.BitIncrement(T.One) - T.One;

    /// <summary>
    /// Geometry cases: hand-picked ones that reach every code path (direct 1×1, padded stride-1, im2col stride 2, the
    /// phase-split strided, general backward-data path for padding &gt; K−1, column-split for batch 1, several weight-gradient
    /// chunks, the tap-GEMM weight gradient, threads),
    /// then seeded random picks of Cin/Cout ∈ {1,3,5,7,17}, H/W ∈ {1,3,5,7,9}, K ∈ {1,3}, stride ∈ {1,2}, padding ∈ {0,1},
    /// batch 1..3 and accumulate.
    /// </summary>
    public static TheoryData<int, int, int, int, int, int, int, int, bool> Geometries()
    {
        var data = new TheoryData<int, int, int, int, int, int, int, int, bool>
        {
            // cin, h, w, cout, k, stride, pad, batch, accumulate
            { 16, 8, 8, 16, 3, 1, 1, 2, false },
            { 17, 9, 9, 17, 3, 1, 1, 3, false },  // large enough to use threads
            { 17, 9, 9, 17, 3, 1, 1, 1, true },   // batch 1: columns / tiles split across threads
            { 17, 9, 7, 17, 1, 1, 0, 3, true },   // direct 1×1
            { 17, 9, 9, 17, 1, 1, 0, 1, false },
            { 5, 9, 9, 7, 3, 2, 1, 3, false },    // im2col, stride 2
            { 17, 9, 9, 17, 3, 2, 1, 1, true },
            { 3, 7, 7, 5, 1, 2, 0, 2, false },    // 1×1 stride 2
            { 2, 3, 3, 3, 1, 1, 1, 2, true },     // padding > K−1: general backward-data path
            { 3, 5, 5, 4, 3, 1, 1, 20, false },   // 20 samples: two weight-gradient chunks
            { 3, 5, 5, 4, 3, 1, 1, 20, true },
            { 1, 1, 1, 1, 1, 1, 0, 1, false },
            { 1, 1, 1, 1, 3, 1, 1, 1, true },
            { 7, 9, 1, 3, 3, 1, 1, 2, false },
            { 3, 32, 32, 16, 3, 1, 1, 1, false }, // NAS-Bench-201 stem, per sample
            { 49, 5, 5, 17, 3, 1, 1, 3, true },   // many channels, small image: tap-GEMM weight gradient
            { 49, 5, 3, 9, 3, 1, 0, 20, false },  // … with two chunks
            { 64, 8, 8, 64, 3, 1, 1, 1, false },  // … per sample, taps split across threads
            { 25, 7, 7, 5, 3, 1, 1, 2, true },    // tap-GEMM for double only (≥ 16 channels)
            { 33, 6, 6, 9, 3, 1, 1, 2, false },   // tap-GEMM, 33 channels: 2-register tile + overlapped tail
            { 33, 9, 8, 5, 3, 2, 1, 2, true },    // tap-GEMM, stride 2
            { 33, 7, 9, 17, 1, 1, 0, 3, true },   // tap-GEMM, 1×1
            { 64, 8, 8, 64, 1, 1, 0, 1, false },  // … NAS-Bench-201 stage 3, per sample
            { 32, 16, 16, 64, 3, 2, 1, 1, false }, // NAS-Bench-201 reduction convolution 32→64, per sample
            { 5, 9, 8, 4, 3, 3, 1, 2, true },     // stride 3: 9 phase planes
            { 3, 8, 7, 5, 2, 2, 0, 2, false },    // even kernel, stride 2
            { 16, 32, 32, 32, 3, 2, 1, 2, false }, // NAS-Bench-201 reduction convolution
            { 16, 9, 7, 32, 3, 1, 1, 2, true },    // Winograd (float, AVX-512): odd sizes, partial tiles, bias
            { 48, 5, 6, 16, 3, 1, 1, 1, false },   // Winograd: 3 input blocks, batch 1 (GEMMs split across threads)
            { 32, 16, 16, 48, 3, 1, 1, 3, false }, // Winograd: 48 outputs (2- and 1-register strips)
            { 64, 7, 8, 64, 3, 1, 1, 2, true },    // Winograd: 4-register strips, odd height, bias
            { 16, 1, 1, 16, 3, 1, 1, 2, false },   // Winograd: 1×1 image, one partial tile
            { 16, 3, 33, 16, 3, 1, 1, 1, true },   // Winograd: width past the 8-pixel transposes, bias
            { 16, 32, 32, 16, 3, 1, 1, 2, false }, // Winograd: NAS-Bench-201 stage 1
            { 16, 24, 32, 16, 3, 1, 1, 2, false }, // Winograd: 192 tiles, a V stride on a 4 KiB multiple (padded by 24 rows)
            { 32, 5, 4, 16, 3, 1, 1, 20, true },   // Winograd weight gradient: two chunks, groups of several samples
        };

        int[] channels = [1, 3, 5, 7, 17];
        int[] sizes = [1, 3, 5, 7, 9];
        var rng = new SplitMix64(20261122);
        var added = 0;
        while (added < 60)
        {
            int cin = channels[rng.NextInt(5)], cout = channels[rng.NextInt(5)];
            int h = sizes[rng.NextInt(5)], w = sizes[rng.NextInt(5)];
            var k = rng.NextInt(2) == 0 ? 1 : 3;
            var stride = 1 + rng.NextInt(2);
            var pad = rng.NextInt(2);
            var batch = 1 + rng.NextInt(3);
            var accumulate = rng.NextInt(2) == 1;
            if (h + (2 * pad) < k || w + (2 * pad) < k)
            {
                continue;
            }

            data.Add(cin, h, w, cout, k, stride, pad, batch, accumulate);
            added++;
        }

        return data;
    }

    public static ConvGeometry Geometry(int cin, int h, int w, int cout, int k, int stride, int pad) => new(cin, h, w, cout, k, stride, pad);

    /// <summary>Replaces every <paramref name="period"/>-th element by −0, +0, NaN, +∞ or −∞ in turn, and every
    /// (<paramref name="period"/> + 2)-th from the third by −0 (sums then meet −0 + −0 = −0, ∞ − ∞ = NaN …).</summary>
    public static T[] WithSpecials<T>(T[] values, int period)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] specials = [T.NegativeZero, T.Zero, T.NaN, T.PositiveInfinity, T.NegativeInfinity];
        for (var i = 0; i < values.Length; i += period)
        {
            values[i] = specials[(i / period) % specials.Length];
        }

        for (var i = 2; i < values.Length; i += period + 2)
        {
            values[i] = T.NegativeZero;
        }

        return values;
    }

    /// <summary>Each value's bit pattern in hex, for bit-exact comparisons that tell −0 from +0 and NaNs apart.</summary>
    public static string[] Bits<T>(T[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
        => [.. values.Select(v => typeof(T) == typeof(float)
            ? BitConverter.SingleToInt32Bits(float.CreateTruncating(v)).ToString("x8", System.Globalization.CultureInfo.InvariantCulture)
            : BitConverter.DoubleToInt64Bits(double.CreateTruncating(v)).ToString("x16", System.Globalization.CultureInfo.InvariantCulture))];
}
