namespace GradSign.SearchSpaces.NasBench201;

// Graph analysis and mutation helpers of a cell.
public sealed partial class NasBench201Cell
{
    /// <summary>
    /// Edge positions (string order) whose op is not <c>none</c> but that lie on no input→output path through
    /// non-<c>none</c> edges. Their ops run (and cost time) but cannot influence the cell output. The data table's
    /// <c>has_dead_edge</c> column is <c>DeadEdges.Count &gt; 0</c>.
    /// </summary>
    public IReadOnlyList<int> DeadEdges
    {
        get
        {
            // Forward reachability from node 0 and backward reachability to node 3 over live (non-none) edges.
            var fromInput = new bool[4];
            fromInput[0] = true;
            for (var e = 0; e < EdgeCount; e++)
            {
                var (from, to) = NasBench201Edge.All[e];
                fromInput[to] |= fromInput[from] && _operations[e] != NasBench201Operation.None;
            }

            var toOutput = new bool[4];
            toOutput[3] = true;
            for (var e = EdgeCount - 1; e >= 0; e--)
            {
                var (from, to) = NasBench201Edge.All[e];
                toOutput[from] |= toOutput[to] && _operations[e] != NasBench201Operation.None;
            }

            var dead = new List<int>();
            for (var e = 0; e < EdgeCount; e++)
            {
                var (from, to) = NasBench201Edge.All[e];
                if (_operations[e] != NasBench201Operation.None && !(fromInput[from] && toOutput[to]))
                {
                    dead.Add(e);
                }
            }

            return dead;
        }
    }

    /// <summary>True when some non-<c>none</c> edge is on no input→output path (see <see cref="DeadEdges"/>).</summary>
    public bool HasDeadEdge => DeadEdges.Count > 0;

    /// <summary>True when no input→output path exists (the cell output is identically zero).</summary>
    public bool IsDisconnected
    {
        get
        {
            var reach = new bool[4];
            reach[0] = true;
            for (var e = 0; e < EdgeCount; e++)
            {
                var (from, to) = NasBench201Edge.All[e];
                reach[to] |= reach[from] && _operations[e] != NasBench201Operation.None;
            }

            return !reach[3];
        }
    }

    /// <summary>
    /// The benchmark's isomorphism-class key: NAS-Bench-201 <c>Structure.to_unique_str(consider_zero=True)</c>, the
    /// data table's <c>unique_str</c> column (6,466 distinct keys over the 15,625 cells). Each node is described by
    /// the sorted ('+'-joined, ordinal order) terms of its incoming edges: <c>none</c> or an input described as
    /// <c>#</c> gives <c>#</c>, <c>skip_connect</c> passes the input's description through, any other op gives
    /// <c>(input)@op</c>; node 0 is <c>0</c>. Cells with equal keys compute the same function up to the order of
    /// summation and parameter naming.
    /// </summary>
    /// <returns>E.g. <c>((0)@nor_conv_3x3)@avg_pool_3x3+(0)@nor_conv_3x3+((0)@nor_conv_3x3)@nor_conv_3x3+0</c>.</returns>
    public string IsomorphismKey()
    {
        var nodes = new string[4];
        nodes[0] = "0";
        for (var to = 1; to <= 3; to++)
        {
            var terms = new string[to];
            for (var from = 0; from < to; from++)
            {
                var op = OperationOn(from, to);
                terms[from] = op == NasBench201Operation.None || nodes[from] == "#" ? "#"
                    : op == NasBench201Operation.SkipConnect ? nodes[from]
                    : $"({nodes[from]})@{op.ToArchName()}";
            }

            // Python's sorted() on str compares code points, i.e. ordinal order.
            Array.Sort(terms, StringComparer.Ordinal);
            nodes[to] = string.Join('+', terms);
        }

        return nodes[3];
    }

    /// <summary>A copy of this cell with edge <paramref name="edge"/> set to <paramref name="operation"/>.</summary>
    /// <param name="edge">Edge position 0..5 in string order.</param>
    /// <param name="operation">The new operation.</param>
    /// <returns>The new cell (equal to this one when the op is unchanged).</returns>
    /// <exception cref="ArgumentOutOfRangeException">Bad edge or operation.</exception>
    public NasBench201Cell WithOperation(int edge, NasBench201Operation operation)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(edge);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(edge, EdgeCount);
        if (!Enum.IsDefined(operation))
        {
            throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not a NAS-Bench-201 operation.");
        }

        var ops = (NasBench201Operation[])_operations.Clone();
        ops[edge] = operation;
        return new NasBench201Cell(ops);
    }

    /// <summary>
    /// The 24 cells that differ from this one on exactly one edge, ordered by edge position, then by operation value
    /// (the single-edge mutation neighbourhood used by local search and regularised evolution).
    /// </summary>
    /// <returns>24 distinct cells.</returns>
    public IReadOnlyList<NasBench201Cell> Neighbours()
    {
        var result = new List<NasBench201Cell>(EdgeCount * 4);
        for (var e = 0; e < EdgeCount; e++)
        {
            foreach (var op in NasBench201Operations.All)
            {
                if (op != _operations[e])
                {
                    result.Add(WithOperation(e, op));
                }
            }
        }

        return result;
    }

    /// <summary>
    /// A uniformly random single-edge mutation: edge <paramref name="edgeChoice"/> gets the
    /// <paramref name="operationChoice"/>-th of the four other operations (in value order). Pass uniform draws from
    /// your own seeded generator so results stay reproducible.
    /// </summary>
    /// <param name="edgeChoice">0..5.</param>
    /// <param name="operationChoice">0..3.</param>
    /// <returns>The mutated cell (always different from this one).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A choice is out of range.</exception>
    public NasBench201Cell Mutate(int edgeChoice, int operationChoice)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(edgeChoice);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(edgeChoice, EdgeCount);
        ArgumentOutOfRangeException.ThrowIfNegative(operationChoice);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(operationChoice, 3);
        var op = (int)_operations[edgeChoice];
        var replacement = operationChoice >= op ? operationChoice + 1 : operationChoice;
        return WithOperation(edgeChoice, (NasBench201Operation)replacement);
    }
}
