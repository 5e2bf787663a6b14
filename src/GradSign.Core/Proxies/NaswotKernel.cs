using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MathNet.Numerics.LinearAlgebra;

namespace GradSign.Proxies;

/// <summary>
/// The NASWOT kernel <c>K = Σ_relu m · (c cᵀ + (1 − c)(1 − c)ᵀ)</c> accumulated exactly in integers from bit-packed
/// codes, and its log-determinant. Entry (i, j) of one ReLU's term is <c>Units − Hamming(c_i, c_j)</c>: the number of
/// units on which samples i and j agree.
/// </summary>
internal sealed class NaswotKernel
{
    // Two primes below 2³² (2³²−5, 2³²−17) for the exact singularity test (see IsSingular): products of residues fit in a ulong.
    private static readonly ulong[] s_primes = [4294967291UL, 4294967279UL];

    private readonly long[] _k;
    private readonly long[] _hamming;
    private ulong[] _lastBits = [];
    private int _lastUnits = -1;

    /// <summary>Below this many word comparisons (~50 µs) the Hamming distances stay on the calling thread.</summary>
    private const long MinimumParallelWords = 1L << 17;

    private readonly int _threads;

    /// <summary>An all-zero kernel for <paramref name="count"/> samples.</summary>
    /// <param name="count">Samples.</param>
    /// <param name="threads">Threads the Hamming distances of one ReLU may use (the network's
    /// <see cref="Backends.ExecutionOptions.ThreadCount"/>).</param>
    public NaswotKernel(int count, int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        Count = count;
        _threads = threads;
        _k = new long[count * count];
        _hamming = new long[count * count];
    }

    /// <summary>A kernel with the given integer entries (tests; importing a kernel computed elsewhere).</summary>
    public static NaswotKernel FromEntries(int count, Func<int, int, long> entry)
    {
        var kernel = new NaswotKernel(count);
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < count; j++)
            {
                kernel._k[(i * count) + j] = entry(i, j);
            }
        }

        return kernel;
    }

    /// <summary>Samples (rows and columns).</summary>
    public int Count { get; }

    /// <summary>Entry (i, j).</summary>
    public long this[int i, int j] => _k[(i * Count) + j];

    /// <summary>Adds <c>multiplicity · (Units − Hamming(c_i, c_j))</c> for every pair of samples.</summary>
    /// <param name="bits">Count·wordsPerSample words, sample-major; unused high bits of each sample's last word are zero.</param>
    /// <param name="units">Bits per sample.</param>
    /// <param name="wordsPerSample">Words per sample.</param>
    /// <param name="multiplicity">How many times this ReLU counts.</param>
    public void Add(ReadOnlySpan<ulong> bits, int units, int wordsPerSample, int multiplicity)
    {
        if (wordsPerSample != (units + 63) / 64 || bits.Length != Count * wordsPerSample)
        {
            throw new InvalidOperationException(
                $"ReLU codes of {units} units need {(units + 63) / 64} words per sample and {Count * ((units + 63) / 64)} words in all; got {wordsPerSample} and {bits.Length}.");
        }

        // NAS-Bench-201 cells apply one ReLU per outgoing edge of a node, so consecutive blocks often carry the same codes:
        // their Hamming distances are computed once and reused (an exact comparison of the codes decides).
        if (units != _lastUnits || bits.Length != _lastBits.Length || !bits.SequenceEqual(_lastBits))
        {
            if (_lastBits.Length != bits.Length)
            {
                _lastBits = new ulong[bits.Length];
            }

            bits.CopyTo(_lastBits);
            _lastUnits = units;
            Hamming(_lastBits, wordsPerSample, _hamming);
        }

        for (var i = 0; i < Count; i++)
        {
            _k[(i * Count) + i] += (long)multiplicity * units;
            for (var j = i + 1; j < Count; j++)
            {
                var agree = multiplicity * (units - _hamming[(i * Count) + j]);
                _k[(i * Count) + j] += agree;
                _k[(j * Count) + i] += agree;
            }
        }
    }

    /// <summary>
    /// <c>hamming[i·Count + j] = Σ_w PopCount(c_i[w] ^ c_j[w])</c> for every pair i &lt; j. With several threads, rows i
    /// go out in contiguous ranges of about equal pair counts (row i has Count − 1 − i pairs); integer sums, so the
    /// result does not depend on the split.
    /// </summary>
    private void Hamming(ulong[] bits, int words, long[] hamming)
    {
        var pairs = (long)Count * (Count - 1) / 2;
        if (_threads == 1 || pairs * words < MinimumParallelWords)
        {
            HammingRows(bits, words, hamming, 0, Count);
            return;
        }

        // Part p ends at the first row where the pairs before it reach (p + 1)/parts of all pairs.
        var parts = _threads * 2;
        var ends = new int[parts];
        long before = 0;
        for (int i = 0, p = 0; i < Count; i++)
        {
            before += Count - 1 - i;
            while (p < parts && before * parts >= pairs * (p + 1))
            {
                ends[p++] = i + 1;
            }
        }

        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = _threads },
            p => HammingRows(bits, words, hamming, p == 0 ? 0 : ends[p - 1], ends[p]));
    }

    /// <summary>
    /// Rows [<paramref name="first"/>, <paramref name="end"/>) of <see cref="Hamming"/>. Four samples j share each
    /// load of c_i's word (four independent popcount chains). Scalar equivalent: the pair loop with one chain.
    /// </summary>
    private void HammingRows(ReadOnlySpan<ulong> bits, int words, long[] hamming, int first, int end)
    {
        for (var i = first; i < end; i++)
        {
            var a = bits.Slice(i * words, words);
            var j = i + 1;
            if (Avx512BW.IsSupported && words >= 8)
            {
                for (; j + 4 <= Count; j += 4)
                {
                    Hamming512(a, bits.Slice(j * words, 4 * words), words, hamming.AsSpan((i * Count) + j, 4));
                }
            }

            for (; j + 4 <= Count; j += 4)
            {
                var b0 = bits.Slice(j * words, words);
                var b1 = bits.Slice((j + 1) * words, words);
                var b2 = bits.Slice((j + 2) * words, words);
                var b3 = bits.Slice((j + 3) * words, words);
                long h0 = 0, h1 = 0, h2 = 0, h3 = 0;
                for (var w = 0; w < a.Length; w++)
                {
                    var x = a[w];
                    h0 += BitOperations.PopCount(x ^ b0[w]);
                    h1 += BitOperations.PopCount(x ^ b1[w]);
                    h2 += BitOperations.PopCount(x ^ b2[w]);
                    h3 += BitOperations.PopCount(x ^ b3[w]);
                }

                hamming[(i * Count) + j] = h0;
                hamming[(i * Count) + j + 1] = h1;
                hamming[(i * Count) + j + 2] = h2;
                hamming[(i * Count) + j + 3] = h3;
            }

            for (; j < Count; j++)
            {
                var b = bits.Slice(j * words, words);
                var h = 0L;
                for (var w = 0; w < a.Length; w++)
                {
                    h += BitOperations.PopCount(a[w] ^ b[w]);
                }

                hamming[(i * Count) + j] = h;
            }
        }
    }

    /// <summary>
    /// Hamming distances of <paramref name="a"/> to the four consecutive codes in <paramref name="b"/>, eight words per
    /// 512-bit register. Lanes: byte lanes of a XOR b are split into nibbles, each nibble's popcount looked up with a byte
    /// shuffle, and the byte counts summed into the register's eight 64-bit lanes (sum of absolute differences against
    /// zero); the lanes are added at the end, the words past the last whole register by scalar popcounts. Integer
    /// arithmetic, so the result equals the scalar <c>Σ_w PopCount(a[w] ^ b[w])</c> exactly.
    /// </summary>
    private static void Hamming512(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, int words, Span<long> distances)
    {
        var nibbles = Vector512.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
            0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
        var low = Vector512.Create((byte)0x0F);
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var br = ref MemoryMarshal.GetReference(b);
        Vector512<ulong> h0 = Vector512<ulong>.Zero, h1 = Vector512<ulong>.Zero, h2 = Vector512<ulong>.Zero, h3 = Vector512<ulong>.Zero;
        var whole = words - (words % Vector512<ulong>.Count);
        for (nuint w = 0; w < (nuint)whole; w += (nuint)Vector512<ulong>.Count)
        {
            var x = Vector512.LoadUnsafe(ref ar, w);
            h0 += PopCounts(x ^ Vector512.LoadUnsafe(ref br, w), nibbles, low);
            h1 += PopCounts(x ^ Vector512.LoadUnsafe(ref br, w + (nuint)words), nibbles, low);
            h2 += PopCounts(x ^ Vector512.LoadUnsafe(ref br, w + (nuint)(2 * words)), nibbles, low);
            h3 += PopCounts(x ^ Vector512.LoadUnsafe(ref br, w + (nuint)(3 * words)), nibbles, low);
        }

        Span<Vector512<ulong>> sums = [h0, h1, h2, h3];
        for (var k = 0; k < 4; k++)
        {
            var h = (long)Vector512.Sum(sums[k]);
            var other = b.Slice(k * words, words);
            for (var w = whole; w < words; w++)
            {
                h += BitOperations.PopCount(a[w] ^ other[w]);
            }

            distances[k] = h;
        }
    }

    /// <summary>Per 64-bit lane, the number of set bits of <paramref name="x"/> (nibble lookup, then byte sums).</summary>
    private static Vector512<ulong> PopCounts(Vector512<ulong> x, Vector512<byte> nibbles, Vector512<byte> low)
    {
        var bytes = x.AsByte();
        var counts = Avx512BW.Shuffle(nibbles, bytes & low) + Avx512BW.Shuffle(nibbles, Vector512.ShiftRightLogical(x, 4).AsByte() & low);
        return Avx512BW.SumAbsoluteDifferences(counts, Vector512<byte>.Zero).AsUInt64();
    }

    /// <summary>K as a float64 matrix (exact: the entries are integers far below 2⁵³).</summary>
    public double[,] ToMatrix()
    {
        var m = new double[Count, Count];
        for (var i = 0; i < Count; i++)
        {
            for (var j = 0; j < Count; j++)
            {
                m[i, j] = _k[(i * Count) + j];
            }
        }

        return m;
    }

    /// <summary><c>log|det K|</c>, or −∞ when K is singular.</summary>
    public double LogAbsDeterminant() => IsSingular() ? double.NegativeInfinity : LogAbsDeterminant(ToMatrix());

    /// <summary>
    /// <c>log|det A| = Σ_i log|u_ii|</c> from an LU factorisation with partial pivoting in float64 (what
    /// <c>numpy.linalg.slogdet</c> does through LAPACK <c>getrf</c>); −∞ when a pivot is exactly 0, as in NumPy.
    /// Never forms det itself, which overflows (log det ≈ B·log(Σ units)).
    /// </summary>
    /// <param name="matrix">A square matrix.</param>
    /// <returns>The log of the absolute determinant.</returns>
    public static double LogAbsDeterminant(double[,] matrix)
    {
        if (matrix.GetLength(0) != matrix.GetLength(1))
        {
            throw new ArgumentException($"The matrix is {matrix.GetLength(0)}x{matrix.GetLength(1)}, not square.", nameof(matrix));
        }

        var lu = Matrix<double>.Build.DenseOfArray(matrix).LU();
        var u = lu.U;
        var sum = 0.0;
        for (var i = 0; i < u.RowCount; i++)
        {
            var pivot = Math.Abs(u[i, i]);
            if (pivot == 0 || double.IsNaN(pivot))
            {
                return pivot == 0 ? double.NegativeInfinity : double.NaN;
            }

            sum += Math.Log(pivot);
        }

        return sum;
    }

    /// <summary>
    /// Exact singularity test: K has integer entries, so det K = 0 exactly iff it vanishes modulo every prime.
    /// Gaussian elimination modulo two primes near 2³² decides it without rounding (a non-singular K is reported
    /// singular only if both primes divide its determinant, a chance of about 1e-19 for an arbitrary determinant). Floating-point LU of an exactly singular integer matrix can leave a
    /// tiny non-zero pivot; this test makes "singular → −∞" independent of rounding.
    /// </summary>
    public bool IsSingular()
    {
        foreach (var p in s_primes)
        {
            if (!IsSingularModulo(p))
            {
                return false;
            }
        }

        return true;
    }

    private bool IsSingularModulo(ulong p)
    {
        var n = Count;
        var a = new ulong[n * n];
        for (var i = 0; i < a.Length; i++)
        {
            var v = _k[i] % (long)p;
            a[i] = (ulong)(v < 0 ? v + (long)p : v);
        }

        for (var col = 0; col < n; col++)
        {
            var pivotRow = -1;
            for (var r = col; r < n; r++)
            {
                if (a[(r * n) + col] != 0)
                {
                    pivotRow = r;
                    break;
                }
            }

            if (pivotRow < 0)
            {
                return true;
            }

            if (pivotRow != col)
            {
                for (var c = col; c < n; c++)
                {
                    (a[(col * n) + c], a[(pivotRow * n) + c]) = (a[(pivotRow * n) + c], a[(col * n) + c]);
                }
            }

            var inverse = ModInverse(a[(col * n) + col], p);
            for (var r = col + 1; r < n; r++)
            {
                var factor = MulMod(a[(r * n) + col], inverse, p);
                if (factor == 0)
                {
                    continue;
                }

                for (var c = col; c < n; c++)
                {
                    // a[r,c] −= factor·a[col,c]  (mod p)
                    var sub = MulMod(factor, a[(col * n) + c], p);
                    var x = a[(r * n) + c];
                    a[(r * n) + c] = x >= sub ? x - sub : x + (p - sub);
                }
            }
        }

        return false;
    }

    private static ulong MulMod(ulong x, ulong y, ulong p) => x * y % p;

    // Fermat: x^(p−2) mod p for prime p.
    private static ulong ModInverse(ulong x, ulong p)
    {
        ulong result = 1, b = x, e = p - 2;
        while (e > 0)
        {
            if ((e & 1) != 0)
            {
                result = MulMod(result, b, p);
            }

            b = MulMod(b, b, p);
            e >>= 1;
        }

        return result;
    }
}
