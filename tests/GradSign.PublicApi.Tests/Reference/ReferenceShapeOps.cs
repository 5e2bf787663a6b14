namespace GradSign.Tests.Backends.Reference;

/// <summary>
/// The parameter-free layers that only move, sum or drop values: global average pool, add, zero (the
/// NAS-Bench-201 <c>none</c> op), channel concatenation and channel truncation.
/// </summary>
internal static class ReferenceShapeOps
{
    /// <summary>[n, C, H·W] → [n, C]: mean over the plane.</summary>
    public static T[] GlobalAvgPoolForward<T>(T[] x, int planes, int spatial)
        where T : struct, IScalar<T>
    {
        var y = new T[planes];
        for (var plane = 0; plane < planes; plane++)
        {
            var sum = T.Zero;
            for (var q = 0; q < spatial; q++)
            {
                sum += x[(plane * spatial) + q];
            }

            y[plane] = sum / T.FromDouble(spatial);
        }

        return y;
    }

    public static void GlobalAvgPoolBackward<T>(T[] gy, int planes, int spatial, T[] gx)
        where T : struct, IScalar<T>
    {
        for (var plane = 0; plane < planes; plane++)
        {
            var share = gy[plane] / T.FromDouble(spatial);
            for (var q = 0; q < spatial; q++)
            {
                gx[(plane * spatial) + q] += share;
            }
        }
    }

    /// <summary>Sum of the inputs, left to right.</summary>
    public static T[] AddForward<T>(IReadOnlyList<T[]> inputs)
        where T : struct, IScalar<T>
    {
        var y = (T[])inputs[0].Clone();
        for (var k = 1; k < inputs.Count; k++)
        {
            for (var i = 0; i < y.Length; i++)
            {
                y[i] += inputs[k][i];
            }
        }

        return y;
    }

    /// <summary>The gradient of a sum reaches every summand unchanged.</summary>
    public static void AddBackward<T>(T[] gy, T[] gx)
        where T : struct, IScalar<T>
    {
        for (var i = 0; i < gy.Length; i++)
        {
            gx[i] += gy[i];
        }
    }

    /// <summary>
    /// Copies the channel blocks of one sample after another: [n, C_a, HW] ++ [n, C_b, HW] → [n, C_a + C_b, HW].
    /// With <paramref name="scatter"/> the copy runs the other way (backward), accumulating into the inputs.
    /// </summary>
    public static void ConcatCopy<T>(T[] y, IReadOnlyList<T[]> parts, IReadOnlyList<int> partChannels, int n, int spatial, bool scatter)
        where T : struct, IScalar<T>
    {
        var total = partChannels.Sum();
        for (var b = 0; b < n; b++)
        {
            var channelOffset = 0;
            for (var k = 0; k < parts.Count; k++)
            {
                var size = partChannels[k] * spatial;
                var src = b * size;
                var dst = ((b * total) + channelOffset) * spatial;
                for (var q = 0; q < size; q++)
                {
                    if (scatter)
                    {
                        parts[k][src + q] += y[dst + q];
                    }
                    else
                    {
                        y[dst + q] = parts[k][src + q];
                    }
                }

                channelOffset += partChannels[k];
            }
        }
    }

    /// <summary>[n, C_in, HW] → [n, C_out, HW] keeping the first C_out channels.</summary>
    public static T[] TruncateForward<T>(T[] x, int n, int inChannels, int outChannels, int spatial)
        where T : struct, IScalar<T>
    {
        var y = new T[n * outChannels * spatial];
        for (var b = 0; b < n; b++)
        {
            Array.Copy(x, b * inChannels * spatial, y, b * outChannels * spatial, outChannels * spatial);
        }

        return y;
    }

    public static void TruncateBackward<T>(T[] gy, int n, int inChannels, int outChannels, int spatial, T[] gx)
        where T : struct, IScalar<T>
    {
        for (var b = 0; b < n; b++)
        {
            for (var q = 0; q < outChannels * spatial; q++)
            {
                gx[(b * inChannels * spatial) + q] += gy[(b * outChannels * spatial) + q];
            }
        }
    }
}
