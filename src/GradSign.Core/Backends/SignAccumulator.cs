using System.Numerics;
using GradSign.Backends.Managed.Kernels;

namespace GradSign.Backends;

/// <summary>
/// GradSign's streaming vote counter: <c>counts[k] += sign(g[k])</c> with NumPy's sign semantics
/// (<c>sign(±0) = 0</c>, <c>sign(NaN) = NaN</c>), NaN recorded in a per-element flag so that the column is dropped
/// at the end as <c>np.nansum</c> does. Integer counters make the sum exact (the reference's float32 column sums are
/// exact small integers too), and memory stays O(parameters) instead of the reference's N×P sign matrix.
/// Float32 and float64 gradients vote identically (widening keeps the sign, zeros and NaN).
/// </summary>
internal static class SignAccumulator
{
    /// <summary>Adds <c>sign(gradient[k])</c> to <c>counts[k]</c>; sets <c>nanFlags[k]</c> to −1 (all bits) when gradient[k] is NaN.</summary>
    /// <remarks>
    /// Effectively computes, for every k:
    /// <code>
    /// if (T.IsNaN(g[k])) nanFlags[k] = -1;
    /// else counts[k] += g[k] &gt; 0 ? 1 : g[k] &lt; 0 ? -1 : 0;   // −0.0 counts as 0
    /// </code>
    /// One register of gradients per step (<see cref="ISimdSignOps{T}.AddSigns"/> gives the lane layout) on the width
    /// <see cref="SimdDispatch{T}"/> picks, then the rest one element at a time.
    /// </remarks>
    public static unsafe void Accumulate<T>(ReadOnlySpan<T> gradient, Span<int> counts, Span<int> nanFlags)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (counts.Length != gradient.Length || nanFlags.Length != gradient.Length)
        {
            throw new ArgumentException($"counts ({counts.Length}) and nanFlags ({nanFlags.Length}) must have the gradient's length ({gradient.Length}).", nameof(counts));
        }

        fixed (T* g = gradient)
        fixed (int* c = counts)
        fixed (int* f = nanFlags)
        {
            SimdDispatch<T>.Run(new Votes<T>(g, c, f, gradient.Length));
        }
    }

    /// <summary>Σ_k |counts[k]| over the elements whose flag is 0, exactly, with the number of NaN-flagged elements.</summary>
    public static (long Sum, int NanCount) AbsoluteSum(ReadOnlySpan<int> counts, ReadOnlySpan<int> nanFlags)
    {
        if (counts.Length != nanFlags.Length)
        {
            throw new ArgumentException($"counts ({counts.Length}) and nanFlags ({nanFlags.Length}) differ in length.", nameof(nanFlags));
        }

        long sum = 0;
        var nans = 0;
        for (var k = 0; k < counts.Length; k++)
        {
            if (nanFlags[k] != 0)
            {
                nans++;
            }
            else
            {
                sum += Math.Abs((long)counts[k]);
            }
        }

        return (sum, nans);
    }

    /// <summary><see cref="Accumulate{T}"/> on one register width.</summary>
    private readonly unsafe struct Votes<T>(T* gradient, int* counts, int* nanFlags, int length) : ISimdJob<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run<TVec, TOps>()
            where TVec : unmanaged
            where TOps : ISimdOps<T, TVec>
        {
            // Locals, not fields: the stores through c and f could alias this struct, so fields would be re-read per step.
            T* g = gradient;
            int* c = counts, f = nanFlags;
            int n = length, i = 0;
            for (; i <= n - TOps.Count; i += TOps.Count)
            {
                TOps.AddSigns(g + i, c + i, f + i);
            }

            for (; i < n; i++)
            {
                ScalarOps<T>.AddSigns(g + i, c + i, f + i);
            }
        }
    }
}
