using System.Text;
using GradSign.Internal;
using GradSign.Networks;

namespace GradSign.SearchSpaces.NasBench201;

/// <summary>
/// A NAS-Bench-201 cell: one <see cref="NasBench201Operation"/> on each of the six edges of a 4-node DAG, in
/// architecture-string order (<see cref="NasBench201Edge.All"/>). Parse and print the benchmark's strings, e.g.
/// <c>|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|</c>.
/// </summary>
/// <remarks>
/// <para><see cref="Code"/> numbers the 5⁶ = 15,625 cells as a base-5 number whose most significant digit is edge 0
/// (digits = <see cref="NasBench201Operation"/> values). <see cref="All"/> enumerates cells in that order. This is
/// <b>not</b> the benchmark index: the benchmark's index is its table order (look it up by architecture string in
/// the data table, e.g. <c>nb201.csv.gz</c>).</para>
/// </remarks>
/// <threadsafety>Immutable.</threadsafety>
public sealed partial class NasBench201Cell : IEquatable<NasBench201Cell>
{
    /// <summary>Number of edges in a cell.</summary>
    public const int EdgeCount = 6;

    /// <summary>Number of distinct cells, 5⁶.</summary>
    public const int CellCount = 15_625;

    private readonly NasBench201Operation[] _operations;

    /// <summary>Creates a cell from six operations in architecture-string edge order.</summary>
    /// <param name="operations">Exactly six defined operations.</param>
    /// <exception cref="ArgumentException">Not six operations, or an undefined value (named by edge).</exception>
    public NasBench201Cell(IReadOnlyList<NasBench201Operation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count != EdgeCount)
        {
            throw new ArgumentException($"A NAS-Bench-201 cell has {EdgeCount} edges; got {operations.Count} operations.", nameof(operations));
        }

        _operations = new NasBench201Operation[EdgeCount];
        for (var e = 0; e < EdgeCount; e++)
        {
            if (!Enum.IsDefined(operations[e]))
            {
                throw new ArgumentException($"Edge {e} ({NasBench201Edge.All[e]}) has undefined operation value {(int)operations[e]}.", nameof(operations));
            }

            _operations[e] = operations[e];
        }
    }

    /// <summary>The six operations in architecture-string edge order.</summary>
    public IReadOnlyList<NasBench201Operation> Operations => _operations;

    /// <summary>The operation on edge position <paramref name="edge"/> (0..5).</summary>
    /// <param name="edge">Edge position in string order.</param>
    /// <returns>The operation.</returns>
    public NasBench201Operation this[int edge] => _operations[edge];

    /// <summary>The operation on the edge <paramref name="from"/>→<paramref name="to"/>.</summary>
    /// <param name="from">Source node.</param>
    /// <param name="to">Target node.</param>
    /// <returns>The operation.</returns>
    public NasBench201Operation OperationOn(int from, int to) => _operations[NasBench201Edge.PositionOf(from, to)];

    /// <summary>This library's enumeration code 0..15,624: Σₑ op(e)·5^(5−e) (not the benchmark index).</summary>
    public int Code
    {
        get
        {
            var code = 0;
            foreach (var op in _operations)
            {
                code = (code * 5) + (int)op;
            }

            return code;
        }
    }

    /// <summary>The key of this cell's random draws in a scoring run: <see cref="ArchitectureKey.FromName"/> of its canonical
    /// architecture string, so every way of scoring the cell (command line, study, library) draws the same weights and batch.</summary>
    public ArchitectureKey Key => ArchitectureKey.FromName(ToString());

    /// <summary>The cell with enumeration code <paramref name="code"/> (see <see cref="Code"/>).</summary>
    /// <param name="code">0..15,624.</param>
    /// <returns>The cell.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Out of range.</exception>
    public static NasBench201Cell FromCode(int code)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(code);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(code, CellCount);
        var ops = new NasBench201Operation[EdgeCount];
        for (var e = EdgeCount - 1; e >= 0; e--)
        {
            ops[e] = (NasBench201Operation)(code % 5);
            code /= 5;
        }

        return new NasBench201Cell(ops);
    }

    /// <summary>All 15,625 cells in <see cref="Code"/> order (0 = all <c>none</c>, 15,624 = all <c>avg_pool_3x3</c>).</summary>
    public static IEnumerable<NasBench201Cell> All
    {
        get
        {
            for (var code = 0; code < CellCount; code++)
            {
                yield return FromCode(code);
            }
        }
    }

    /// <summary>The cell with every edge set to <paramref name="operation"/>.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>The cell.</returns>
    public static NasBench201Cell Uniform(NasBench201Operation operation)
        => new([operation, operation, operation, operation, operation, operation]);

    /// <summary>Parses an architecture string.</summary>
    /// <param name="arch">E.g. <c>|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|</c>.</param>
    /// <returns>The cell.</returns>
    /// <exception cref="FormatException">Malformed; the message names the node group and token at fault.</exception>
    public static NasBench201Cell Parse(string arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var error = TryParseCore(arch, out var cell);
        return error is null ? cell! : throw new FormatException($"Invalid NAS-Bench-201 architecture string '{MessageText.Clip(arch)}': {error}.");
    }

    /// <summary>Parses an architecture string without throwing.</summary>
    /// <param name="arch">The string.</param>
    /// <param name="cell">The cell, when valid.</param>
    /// <returns>Whether the string is valid.</returns>
    public static bool TryParse(string? arch, out NasBench201Cell? cell)
    {
        if (arch is null)
        {
            cell = null;
            return false;
        }

        return TryParseCore(arch, out cell) is null;
    }

    private static string? TryParseCore(string arch, out NasBench201Cell? cell)
    {
        cell = null;
        var groups = arch.Split('+');
        if (groups.Length != 3)
        {
            return $"expected 3 '+'-separated node groups, found {groups.Length}";
        }

        var ops = new NasBench201Operation[EdgeCount];
        for (var node = 1; node <= 3; node++)
        {
            var group = groups[node - 1];
            if (group.Length < 2 || group[0] != '|' || group[^1] != '|')
            {
                return $"node {node} group '{MessageText.Clip(group)}' must start and end with '|'";
            }

            var tokens = group[1..^1].Split('|');
            if (tokens.Length != node)
            {
                return $"node {node} group '{MessageText.Clip(group)}' must have {node} edge token(s), found {tokens.Length}";
            }

            for (var from = 0; from < node; from++)
            {
                var token = tokens[from];
                var tilde = token.IndexOf('~', StringComparison.Ordinal);
                if (tilde < 0)
                {
                    return $"node {node} token '{MessageText.Clip(token)}' must be 'op~{from}'";
                }

                if (!NasBench201Operations.TryParse(token.AsSpan(0, tilde), out var op))
                {
                    return $"node {node} token '{MessageText.Clip(token)}': unknown operation '{MessageText.Clip(token[..tilde])}' (expected none, skip_connect, nor_conv_1x1, nor_conv_3x3 or avg_pool_3x3)";
                }

                if (token[(tilde + 1)..] != from.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    return $"node {node} token '{MessageText.Clip(token)}': source must be ~{from} at position {from}";
                }

                ops[NasBench201Edge.PositionOf(from, node)] = op;
            }
        }

        cell = new NasBench201Cell(ops);
        return null;
    }

    /// <summary>The canonical architecture string.</summary>
    /// <returns>E.g. <c>|none~0|+|none~0|none~1|+|none~0|none~1|none~2|</c>.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder(96);
        for (var node = 1; node <= 3; node++)
        {
            if (node > 1)
            {
                sb.Append('+');
            }

            sb.Append('|');
            for (var from = 0; from < node; from++)
            {
                sb.Append(OperationOn(from, node).ToArchName()).Append('~').Append((char)('0' + from)).Append('|');
            }
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public bool Equals(NasBench201Cell? other) => other is not null && _operations.AsSpan().SequenceEqual(other._operations);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as NasBench201Cell);

    /// <inheritdoc />
    public override int GetHashCode() => Code;
}
