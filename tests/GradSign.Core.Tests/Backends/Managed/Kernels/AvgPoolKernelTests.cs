using System.Numerics;
using GradSign.Backends.Managed.Kernels;
using static GradSign.Tests.Backends.Managed.Kernels.KernelTestData;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>
/// <see cref="AvgPool2dForward"/> and <see cref="AvgPool2dBackward"/> against the scalar definitions (PyTorch's CPU
/// loops: window rows summed top to bottom, each left to right; the backward scattering each output's divided gradient
/// in row-major order), bit for bit, on odd plane sizes (vector body, border columns and rows), strides 1 and 2, both
/// divisor rules, with ±0, NaN and infinities mixed in.
/// </summary>
[Trait("Category", "Kernels")]
public class AvgPoolKernelTests
{
    public static TheoryData<int, int, int, int, int, bool> Geometries()
    {
        // height, width, kernel, stride, padding, count_include_pad
        var data = new TheoryData<int, int, int, int, int, bool>();
        foreach (var (h, w) in new[] { (1, 1), (2, 3), (3, 3), (5, 7), (8, 8), (9, 17), (16, 16), (17, 33), (32, 32), (7, 45), (61, 67) })
        {
            foreach (var (k, s, p) in new[] { (3, 1, 1), (2, 2, 0), (3, 1, 0), (3, 2, 1), (2, 1, 1), (5, 1, 2) })
            {
                if (h + (2 * p) >= k && w + (2 * p) >= k)
                {
                    data.Add(h, w, k, s, p, false);
                    data.Add(h, w, k, s, p, true);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Float_BitIdenticalToScalarDefinition(int h, int w, int k, int s, int p, bool includePad)
        => Check<float>(new PoolGeometry(h, w, k, s, p, includePad), 91);

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Double_BitIdenticalToScalarDefinition(int h, int w, int k, int s, int p, bool includePad)
        => Check<double>(new PoolGeometry(h, w, k, s, p, includePad), 92);

    [Theory]
    [InlineData(8, 8)]
    [InlineData(5, 19)]
    public void Backward_NegativeZeros_StayNegativeZero(int h, int w)
    {
        // Outputs beyond the plane must add nothing, not even the sign of a zero: −0 accumulated with −0 gradients stays
        // −0 in the scalar definition, and does in the gathered one (its missing outputs are −0, not +0).
        var g = new PoolGeometry(h, w, 3, 1, 1, false);
        var dy = Enumerable.Repeat(-0f, g.OutputPlane).ToArray();
        var dx = Enumerable.Repeat(-0f, g.InputPlane).ToArray();
        AvgPool2dBackward.Run<float>(g, dy, dx, accumulate: true, 0, 1);
        Assert.All(dx, v => Assert.True(float.IsNegative(v) && v == 0, $"{v}"));
    }

    private static void Check<T>(PoolGeometry g, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int planes = 3;
        var x = WithSpecials(Random<T>(planes * g.InputPlane, seed), 11);
        var y = new T[planes * g.OutputPlane];
        AvgPool2dForward.Run<T>(g, x, y, 0, planes);
        Assert.Equal(Bits(ForwardReference(g, x, planes)), Bits(y));

        var dy = WithSpecials(Random<T>(planes * g.OutputPlane, seed + 1), 11);
        foreach (var accumulate in new[] { false, true })
        {
            var old = WithSpecials(Random<T>(planes * g.InputPlane, seed + 2), 11);
            var expected = (T[])old.Clone();
            BackwardReference(g, dy, expected, accumulate, planes);
            var dx = (T[])old.Clone();
            AvgPool2dBackward.Run<T>(g, dy, dx, accumulate, 0, planes);
            Assert.Equal(Bits(expected), Bits(dx));
        }
    }

    /// <summary>The scalar forward definition.</summary>
    private static T[] ForwardReference<T>(PoolGeometry g, T[] x, int planes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = new T[planes * g.OutputPlane];
        for (var p = 0; p < planes; p++)
        {
            for (var oy = 0; oy < g.OutHeight; oy++)
            {
                var (y0, y1, ph) = g.Window(oy, g.Height);
                for (var ox = 0; ox < g.OutWidth; ox++)
                {
                    var (x0, x1, pw) = g.Window(ox, g.Width);
                    var sum = T.Zero;
                    for (var iy = y0; iy < y1; iy++)
                    {
                        for (var ix = x0; ix < x1; ix++)
                        {
                            sum += x[(p * g.InputPlane) + (iy * g.Width) + ix];
                        }
                    }

                    y[(p * g.OutputPlane) + (oy * g.OutWidth) + ox] = sum / T.CreateTruncating(g.CountIncludePad ? ph * pw : (y1 - y0) * (x1 - x0));
                }
            }
        }

        return y;
    }

    /// <summary>The scalar backward definition: clear unless accumulating, then scatter in row-major output order.</summary>
    private static void BackwardReference<T>(PoolGeometry g, T[] dy, T[] dx, bool accumulate, int planes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!accumulate)
        {
            Array.Clear(dx);
        }

        for (var p = 0; p < planes; p++)
        {
            for (var oy = 0; oy < g.OutHeight; oy++)
            {
                var (y0, y1, ph) = g.Window(oy, g.Height);
                for (var ox = 0; ox < g.OutWidth; ox++)
                {
                    var (x0, x1, pw) = g.Window(ox, g.Width);
                    var delta = dy[(p * g.OutputPlane) + (oy * g.OutWidth) + ox] / T.CreateTruncating(g.CountIncludePad ? ph * pw : (y1 - y0) * (x1 - x0));
                    for (var iy = y0; iy < y1; iy++)
                    {
                        for (var ix = x0; ix < x1; ix++)
                        {
                            dx[(p * g.InputPlane) + (iy * g.Width) + ix] += delta;
                        }
                    }
                }
            }
        }
    }
}
