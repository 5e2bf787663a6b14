using System.Numerics;
using System.Runtime.InteropServices;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// The BatchNorm statistics of one group of equally long runs (one channel of a batch: run k starts at
/// <c>first + k·stride</c>), bit for bit what summing the per-run results of <see cref="PackedSum.Sum{T}"/> and
/// <see cref="SumOfRoundedSquares.Run{T}"/> in run order gives: <c>Σ_k S(run_k)</c>, added left to right in float64.
/// </summary>
/// <remarks>
/// Each run's own sum is a float64 chain per lane (the widened low and high halves of each Vector&lt;float&gt; chunk,
/// reduced with <c>Vector.Sum(lo + hi)</c>, then the scalar tail), exactly as in the single-run kernels; only the
/// schedule changes: four runs are summed side by side, so four independent add chains (and four memory streams) are in
/// flight instead of one. Lane layout: per run, <c>lo</c> holds elements 8t…8t+3 and <c>hi</c> 8t+4…8t+7 of chunk t
/// (Vector&lt;float&gt;.Count = 8; other widths split their chunks the same way). Float32 only; float64 runs take the
/// single-run kernels.
/// </remarks>
internal static class RunSums
{
    /// <summary><c>Σ_k PackedSum.Sum(x[first + k·stride, +length))</c> for k &lt; <paramref name="runs"/>, in k order.</summary>
    public static double Sum<T>(ReadOnlySpan<T> x, int first, int stride, int length, int runs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return FourAtATime(MemoryMarshal.Cast<T, float>(x), first, stride, length, runs, default(Value));
        }

        var total = 0.0;
        for (var k = 0; k < runs; k++)
        {
            total += PackedSum.Sum(x.Slice(first + (k * stride), length));
        }

        return total;
    }

    /// <summary><c>Σ_k SumOfRoundedSquares.Run(x[first + k·stride, +length), m)</c> for k &lt; <paramref name="runs"/>, in k order.</summary>
    public static double SumOfRoundedSquares<T>(ReadOnlySpan<T> x, int first, int stride, int length, int runs, T m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return FourAtATime(MemoryMarshal.Cast<T, float>(x), first, stride, length, runs, new RoundedSquare(float.CreateTruncating(m)));
        }

        var total = 0.0;
        for (var k = 0; k < runs; k++)
        {
            total += Kernels.SumOfRoundedSquares.Run(x.Slice(first + (k * stride), length), m);
        }

        return total;
    }

    /// <summary>The float32 schedule: runs four at a time (<see cref="Sum4"/>), the rest by the term's single-run kernel,
    /// the per-run results added in run order.</summary>
    private static double FourAtATime<TTerm>(ReadOnlySpan<float> x, int first, int stride, int length, int runs, TTerm term)
        where TTerm : struct, ITerm
    {
        var sum = 0.0;
        var run = 0;
        for (; run + 4 <= runs; run += 4)
        {
            var o = first + (run * stride);
            var (s0, s1, s2, s3) = Sum4(x.Slice(o, length), x.Slice(o + stride, length), x.Slice(o + (2 * stride), length), x.Slice(o + (3 * stride), length), term);
            sum += s0;
            sum += s1;
            sum += s2;
            sum += s3;
        }

        for (; run < runs; run++)
        {
            sum += term.SingleRun(x.Slice(first + (run * stride), length));
        }

        return sum;
    }

    /// <summary>Four runs of the term's single-run float32 sum side by side.</summary>
    private static (double, double, double, double) Sum4<TTerm>(ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, ReadOnlySpan<float> x2, ReadOnlySpan<float> x3, TTerm term)
        where TTerm : struct, ITerm
    {
        var v0 = MemoryMarshal.Cast<float, Vector<float>>(x0);
        var v1 = MemoryMarshal.Cast<float, Vector<float>>(x1);
        var v2 = MemoryMarshal.Cast<float, Vector<float>>(x2);
        var v3 = MemoryMarshal.Cast<float, Vector<float>>(x3);
        var n = v0.Length;
        v1 = v1[..n];
        v2 = v2[..n];
        v3 = v3[..n];
        Vector<double> lo0 = Vector<double>.Zero, hi0 = Vector<double>.Zero, lo1 = Vector<double>.Zero, hi1 = Vector<double>.Zero;
        Vector<double> lo2 = Vector<double>.Zero, hi2 = Vector<double>.Zero, lo3 = Vector<double>.Zero, hi3 = Vector<double>.Zero;
        for (var i = 0; i < n; i++)
        {
            Vector.Widen(term.Of(v0[i]), out var a0, out var b0);
            Vector.Widen(term.Of(v1[i]), out var a1, out var b1);
            Vector.Widen(term.Of(v2[i]), out var a2, out var b2);
            Vector.Widen(term.Of(v3[i]), out var a3, out var b3);
            lo0 += a0;
            hi0 += b0;
            lo1 += a1;
            hi1 += b1;
            lo2 += a2;
            hi2 += b2;
            lo3 += a3;
            hi3 += b3;
        }

        var done = n * Vector<float>.Count;
        return (Tail(Vector.Sum(lo0 + hi0), x0, done, term), Tail(Vector.Sum(lo1 + hi1), x1, done, term),
            Tail(Vector.Sum(lo2 + hi2), x2, done, term), Tail(Vector.Sum(lo3 + hi3), x3, done, term));
    }

    private static double Tail<TTerm>(double sum, ReadOnlySpan<float> x, int done, TTerm term)
        where TTerm : struct, ITerm
    {
        for (var i = done; i < x.Length; i++)
        {
            sum += (double)term.Of(x[i]);
        }

        return sum;
    }

    /// <summary>What each element contributes, rounded to float32 before widening, and the single-run kernel that sums it.</summary>
    private interface ITerm
    {
        Vector<float> Of(Vector<float> x);

        float Of(float x);

        double SingleRun(ReadOnlySpan<float> x);
    }

    /// <summary>The element itself (<see cref="PackedSum.Sum{T}"/>).</summary>
    private readonly struct Value : ITerm
    {
        public Vector<float> Of(Vector<float> x) => x;

        public float Of(float x) => x;

        public double SingleRun(ReadOnlySpan<float> x) => PackedSum.Sum(x);
    }

    /// <summary>The rounded squared deviation <c>(x − m)²</c> (<see cref="Kernels.SumOfRoundedSquares.Run{T}"/>).</summary>
    private readonly struct RoundedSquare(float m) : ITerm
    {
        private readonly Vector<float> _m = new(m);

        public Vector<float> Of(Vector<float> x)
        {
            var d = x - _m;
            return d * d;
        }

        public float Of(float x)
        {
            var d = x - m;
            return d * d;
        }

        public double SingleRun(ReadOnlySpan<float> x) => Kernels.SumOfRoundedSquares.Run(x, m);
    }
}
