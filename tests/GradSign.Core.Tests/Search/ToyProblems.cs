using GradSign.Proxies;
using GradSign.Search;

namespace GradSign.Tests.Search;

/// <summary>Small synthetic search problems with known structure.</summary>
internal static class ToyProblems
{
    /// <summary>The NAS-Bench-201-shaped grid, 6 edges × 5 operations.</summary>
    public static EdgeOperationSpace Grid() => new(6, 5, name: "toy-6x5");

    /// <summary>A fixed, structure-free signal per code (an integer hash mapped to [0, 100)), so every cell is equally likely to be good.</summary>
    public static Dictionary<int, double> HashedSignal(int count)
    {
        var table = new Dictionary<int, double>(count);
        for (var code = 0; code < count; code++)
        {
            var h = (ulong)code * 0x9E3779B97F4A7C15UL;
            h ^= h >> 29;
            h *= 0xBF58476D1CE4E5B9UL;
            h ^= h >> 32;
            table[code] = (h % 1_000_000) / 10_000.0;
        }

        return table;
    }

    /// <summary>
    /// A signal with structure: the sum over edges of a fixed per-(edge, operation) term (hashed into [0, 100/E)), so the best
    /// cell takes each edge's best operation. Codes are edge-major as in <see cref="EdgeOperationSpace"/>.
    /// </summary>
    public static Dictionary<int, double> AdditiveSignal(int edges, int operations)
    {
        var space = new EdgeOperationSpace(edges, operations);
        var term = new double[edges, operations];
        for (var e = 0; e < edges; e++)
        {
            for (var o = 0; o < operations; o++)
            {
                var h = (ulong)((e * operations) + o + 1) * 0x9E3779B97F4A7C15UL;
                h ^= h >> 31;
                term[e, o] = (h % 10_000) / 10_000.0 * 100.0 / edges;
            }
        }

        var table = new Dictionary<int, double>(space.Count);
        var ops = new int[edges];
        for (var code = 0; code < space.Count; code++)
        {
            space.Decompose(code, ops);
            table[code] = Enumerable.Range(0, edges).Sum(e => term[e, ops[e]]);
        }

        return table;
    }

    /// <summary>A proxy that returns the training signal itself (a perfect oracle), charging 0.5 s per call.</summary>
    public static LookupProxyScorer<int> Oracle(IReadOnlyDictionary<int, double> signal)
        => new("oracle", signal.ToDictionary(p => p.Key, p => new ProxyScore("oracle", p.Value) { Elapsed = TimeSpan.FromSeconds(0.5) }));

    /// <summary>Counts operations that differ between two codes of a grid.</summary>
    public static int EdgesDiffering(EdgeOperationSpace space, int a, int b)
    {
        var x = new int[space.EdgeCount];
        var y = new int[space.EdgeCount];
        space.Decompose(a, x);
        space.Decompose(b, y);
        return x.Zip(y).Count(p => p.First != p.Second);
    }
}
