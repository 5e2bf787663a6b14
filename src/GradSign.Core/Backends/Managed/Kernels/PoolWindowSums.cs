using System.Numerics;
using System.Runtime.CompilerServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// The k×k window sums of four vertically adjacent outputs at once (stride-1 average pooling, forward and backward):
/// <c>s_q += Σ_{i&lt;k} Σ_{j&lt;k} plane[start + (q + i)·width + j]</c> for q &lt; 4, each in (i, j) order.
/// </summary>
/// <remarks>Lane layout: one Vector&lt;T&gt; of consecutive x per sum. Each sum is one chain of additions in the order
/// above, as in the one-output loop; the four chains are interleaved so that their additions overlap instead of each
/// waiting for the previous one's result. Scalar equivalent: four separate loops, one per q.</remarks>
internal static class PoolWindowSums
{
    /// <summary>Adds the windows of rows start, start + width, … (four rows) to <paramref name="s0"/>…<paramref name="s3"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Four<T>(ref T origin, nuint start, int width, int k, ref Vector<T> s0, ref Vector<T> s1, ref Vector<T> s2, ref Vector<T> s3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = (nuint)width;
        for (var i = 0; i < k; i++)
        {
            var row = start + ((nuint)i * w);
            for (var j = 0; j < k; j++)
            {
                var at = row + (nuint)j;
                s0 += Vector.LoadUnsafe(ref origin, at);
                s1 += Vector.LoadUnsafe(ref origin, at + w);
                s2 += Vector.LoadUnsafe(ref origin, at + (2 * w));
                s3 += Vector.LoadUnsafe(ref origin, at + (3 * w));
            }
        }
    }
}
