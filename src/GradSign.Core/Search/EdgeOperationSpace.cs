using System.Globalization;
using GradSign.Internal;

namespace GradSign.Search;

/// <summary>
/// A generic cell space: <see cref="EdgeCount"/> edges, each carrying one of <see cref="OperationCount"/> operations, an
/// architecture being its integer code Σₑ op(e)·O^(E−1−e) (edge 0 most significant, so NAS-Bench-201's 6 × 5 space gives
/// the same codes as its cell type). Optionally restricted to a set of codes (e.g. the cells a proxy table scores).
/// Text form: the operations joined by <c>-</c>, e.g. <c>3-3-1-0-2-4</c>.
/// </summary>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class EdgeOperationSpace : IEdgeOperationSpace<int>
{
    private readonly int[] _powers;
    private readonly int[]? _allowed;
    private readonly HashSet<int>? _allowedSet;

    /// <summary>Creates the space.</summary>
    /// <param name="edgeCount">Edges, at least 1.</param>
    /// <param name="operationCount">Operations per edge, at least 2.</param>
    /// <param name="allowedCodes">Optional restriction (duplicates ignored); null = every code.</param>
    /// <param name="name">Name for messages.</param>
    /// <exception cref="ArgumentOutOfRangeException">Sizes out of range or too many codes for an <see cref="int"/>.</exception>
    /// <exception cref="ArgumentException">A restriction code outside the space (named).</exception>
    public EdgeOperationSpace(int edgeCount, int operationCount, IEnumerable<int>? allowedCodes = null, string name = "edge-operation")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(edgeCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(operationCount, 2);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var total = Math.Pow(operationCount, edgeCount);
        if (total > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(edgeCount), $"{operationCount}^{edgeCount} cells do not fit an int code.");
        }

        EdgeCount = edgeCount;
        OperationCount = operationCount;
        TotalCount = (int)total;
        Name = name;
        _powers = new int[edgeCount];
        for (int e = edgeCount - 1, p = 1; e >= 0; e--, p *= operationCount)
        {
            _powers[e] = p;
        }

        if (allowedCodes is not null)
        {
            _allowedSet = [];
            foreach (var code in allowedCodes)
            {
                if ((uint)code >= (uint)TotalCount)
                {
                    throw new ArgumentException($"Code {code} is outside the {TotalCount}-cell space.", nameof(allowedCodes));
                }

                _allowedSet.Add(code);
            }

            // Sorted so that sampling does not depend on the order the caller listed the codes in.
            _allowed = [.. _allowedSet.Order()];
        }
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public int EdgeCount { get; }

    /// <inheritdoc/>
    public int OperationCount { get; }

    /// <summary>Cells of the unrestricted space, O^E.</summary>
    public int TotalCount { get; }

    /// <summary>Whether the space is a restriction.</summary>
    public bool IsRestricted => _allowed is not null;

    /// <inheritdoc/>
    public int Count => _allowed?.Length ?? TotalCount;

    /// <inheritdoc/>
    public bool Contains(int arch) => _allowedSet?.Contains(arch) ?? (uint)arch < (uint)TotalCount;

    /// <inheritdoc/>
    public int Sample(SearchRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (_allowed is { Length: 0 })
        {
            throw new InvalidOperationException($"Search space '{Name}' is empty.");
        }

        return _allowed is null ? random.NextInt(TotalCount) : _allowed[random.NextInt(_allowed.Length)];
    }

    /// <summary>The operation on one edge of a code.</summary>
    /// <param name="arch">The code.</param>
    /// <param name="edge">The edge.</param>
    /// <returns>The operation.</returns>
    public int OperationOf(int arch, int edge)
    {
        CheckCode(arch);
        ArgumentOutOfRangeException.ThrowIfNegative(edge);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(edge, EdgeCount);
        return arch / _powers[edge] % OperationCount;
    }

    /// <inheritdoc/>
    public int Mutate(int arch, SearchRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckCode(arch);
        if (_allowed is null)
        {
            // Same distribution and same draw as choosing from Neighbours(arch): index k enumerates (edge, new op) edge-major,
            // skipping the current op — NAS-Bench-201's mutate_arch (uniform edge, uniform other op).
            var k = random.NextInt(EdgeCount * (OperationCount - 1));
            return Neighbour(arch, k / (OperationCount - 1), k % (OperationCount - 1));
        }

        var neighbours = Neighbours(arch);
        return neighbours.Count > 0 ? neighbours[random.NextInt(neighbours.Count)] : Sample(random);
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> Neighbours(int arch)
    {
        CheckCode(arch);
        var list = new List<int>(EdgeCount * (OperationCount - 1));
        for (var e = 0; e < EdgeCount; e++)
        {
            for (var k = 0; k < OperationCount - 1; k++)
            {
                var n = Neighbour(arch, e, k);
                if (Contains(n))
                {
                    list.Add(n);
                }
            }
        }

        return list;
    }

    /// <inheritdoc/>
    public int Compose(ReadOnlySpan<int> operations)
    {
        if (operations.Length != EdgeCount)
        {
            throw new ArgumentException($"Expected {EdgeCount} operations, got {operations.Length}.", nameof(operations));
        }

        var code = 0;
        for (var e = 0; e < EdgeCount; e++)
        {
            if ((uint)operations[e] >= (uint)OperationCount)
            {
                throw new ArgumentException($"Edge {e} has operation {operations[e]}, outside [0, {OperationCount}).", nameof(operations));
            }

            code = (code * OperationCount) + operations[e];
        }

        return code;
    }

    /// <inheritdoc/>
    public void Decompose(int arch, Span<int> operations)
    {
        CheckCode(arch);
        if (operations.Length != EdgeCount)
        {
            throw new ArgumentException($"Expected a destination of {EdgeCount}, got {operations.Length}.", nameof(operations));
        }

        for (var e = 0; e < EdgeCount; e++)
        {
            operations[e] = arch / _powers[e] % OperationCount;
        }
    }

    /// <inheritdoc/>
    public string Encode(int arch)
    {
        Span<int> ops = stackalloc int[EdgeCount];
        Decompose(arch, ops);
        return string.Join('-', ops.ToArray().Select(o => o.ToString(CultureInfo.InvariantCulture)));
    }

    /// <inheritdoc/>
    public int Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('-');
        if (parts.Length != EdgeCount)
        {
            throw new FormatException($"'{MessageText.Clip(text)}' has {parts.Length} operations; expected {EdgeCount} joined by '-'.");
        }

        var ops = new int[EdgeCount];
        for (var e = 0; e < EdgeCount; e++)
        {
            if (!int.TryParse(parts[e], NumberStyles.None, CultureInfo.InvariantCulture, out ops[e]) || ops[e] >= OperationCount)
            {
                throw new FormatException($"'{MessageText.Clip(text)}': edge {e} operation '{MessageText.Clip(parts[e])}' is not in [0, {OperationCount}).");
            }
        }

        return Compose(ops);
    }

    /// <summary>The code with edge <paramref name="edge"/>'s operation replaced by the <paramref name="k"/>-th other operation (ascending, skipping the current).</summary>
    private int Neighbour(int arch, int edge, int k)
    {
        var current = arch / _powers[edge] % OperationCount;
        var op = k < current ? k : k + 1;
        return arch + ((op - current) * _powers[edge]);
    }

    private void CheckCode(int arch)
    {
        if ((uint)arch >= (uint)TotalCount)
        {
            throw new ArgumentOutOfRangeException(nameof(arch), arch, $"Not a code of the {TotalCount}-cell space.");
        }
    }
}
