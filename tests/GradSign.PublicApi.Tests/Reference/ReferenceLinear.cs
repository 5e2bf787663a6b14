using GradSign.Networks;

namespace GradSign.Tests.Backends.Reference;

/// <summary>Fully connected layer <c>y[n,o] = b[o] + Σ_i W[o,i] · x[n,i]</c>.</summary>
internal static class ReferenceLinear
{
    public static T[] Forward<T>(LinearLayer layer, T[] x, int n, T[] weight, T[]? bias)
        where T : struct, IScalar<T>
    {
        var (fin, fout) = (layer.InFeatures, layer.OutFeatures);
        var y = new T[n * fout];
        for (var b = 0; b < n; b++)
        {
            for (var o = 0; o < fout; o++)
            {
                var acc = bias is null ? T.Zero : bias[o];
                for (var i = 0; i < fin; i++)
                {
                    acc += weight[(o * fin) + i] * x[(b * fin) + i];
                }

                y[(b * fout) + o] = acc;
            }
        }

        return y;
    }

    public static void Backward<T>(LinearLayer layer, T[] x, T[] gy, int n, T[] weight, T[] gx, T[] gWeight, T[]? gBias)
        where T : struct, IScalar<T>
    {
        var (fin, fout) = (layer.InFeatures, layer.OutFeatures);
        for (var b = 0; b < n; b++)
        {
            for (var o = 0; o < fout; o++)
            {
                var g = gy[(b * fout) + o];
                if (gBias is not null)
                {
                    gBias[o] += g;
                }

                for (var i = 0; i < fin; i++)
                {
                    gWeight[(o * fin) + i] += g * x[(b * fin) + i];
                    gx[(b * fin) + i] += g * weight[(o * fin) + i];
                }
            }
        }
    }
}
