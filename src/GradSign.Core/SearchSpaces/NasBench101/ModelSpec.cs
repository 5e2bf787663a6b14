using System.Text.Json;
using GradSign.Internal;

namespace GradSign.SearchSpaces.NasBench101;

/// <summary>
/// A NAS-Bench-101 cell: a V×V upper-triangular 0/1 adjacency matrix and one op per vertex (google-research/nasbench
/// <c>model_spec.py</c>, copied as zero-cost-nas <c>nasbench1_spec.py</c>). The spec is pruned on construction:
/// vertices not on some input→output path are deleted (<see cref="Matrix"/>, <see cref="Operations"/> are the pruned
/// spec; <see cref="OriginalMatrix"/>, <see cref="OriginalOperations"/> what was given).
/// </summary>
/// <remarks>
/// Validation: the matrix is square, 2..7 vertices, entries 0/1, strictly upper triangular; ops match its size, the
/// first is <c>input</c>, the last <c>output</c>, interior ones are <c>conv3x3-bn-relu</c>, <c>conv1x1-bn-relu</c> or
/// <c>maxpool3x3</c>; the output is reachable from the input; the pruned spec has at most 9 edges (the benchmark API
/// checks the edge limit on the pruned spec).
/// </remarks>
/// <threadsafety>Immutable.</threadsafety>
public sealed class ModelSpec : IEquatable<ModelSpec>
{
    /// <summary>Most vertices of a NAS-Bench-101 cell.</summary>
    public const int MaxVertices = 7;

    /// <summary>Most edges of a NAS-Bench-101 cell.</summary>
    public const int MaxEdges = 9;

    private readonly int[][] _matrix;
    private readonly NasBench101Operation[] _ops;
    private readonly int[][] _originalMatrix;
    private readonly NasBench101Operation[] _originalOps;

    /// <summary>Creates and prunes a spec.</summary>
    /// <param name="matrix">Rows of the adjacency matrix; <c>matrix[i][j] = 1</c> is an edge i→j.</param>
    /// <param name="operations">One op name per vertex, e.g. <c>input</c>, <c>conv3x3-bn-relu</c>, <c>output</c>.</param>
    /// <exception cref="ArgumentException">The spec is invalid; the message names the row, column or op at fault.</exception>
    public ModelSpec(IReadOnlyList<IReadOnlyList<int>> matrix, IReadOnlyList<string> operations)
        : this(matrix, ParseOps(operations))
    {
    }

    /// <summary>Creates and prunes a spec.</summary>
    /// <param name="matrix">Rows of the adjacency matrix.</param>
    /// <param name="operations">One op per vertex.</param>
    /// <exception cref="ArgumentException">The spec is invalid; the message names the row, column or op at fault.</exception>
    public ModelSpec(IReadOnlyList<IReadOnlyList<int>> matrix, IReadOnlyList<NasBench101Operation> operations)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(operations);
        if (Check(matrix, operations, out _originalMatrix, out _originalOps, out var pruned) is { } error)
        {
            throw new ArgumentException(error.Message, error.Parameter);
        }

        (_matrix, _ops) = pruned;
    }

    /// <summary>Creates a spec when it is valid, without throwing (e.g. for a search drawing random cells).</summary>
    /// <param name="matrix">Rows of the adjacency matrix.</param>
    /// <param name="operations">One op per vertex.</param>
    /// <param name="spec">The pruned spec, or null when invalid.</param>
    /// <returns>True when the spec is valid.</returns>
    public static bool TryCreate(IReadOnlyList<IReadOnlyList<int>> matrix, IReadOnlyList<NasBench101Operation> operations, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModelSpec? spec)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(operations);
        spec = Check(matrix, operations, out var original, out var originalOps, out var pruned) is null
            ? new ModelSpec(original, originalOps, pruned)
            : null;
        return spec is not null;
    }

    private ModelSpec(int[][] original, NasBench101Operation[] originalOps, (int[][] Matrix, NasBench101Operation[] Ops) pruned)
    {
        (_originalMatrix, _originalOps) = (original, originalOps);
        (_matrix, _ops) = pruned;
    }

    /// <summary>Validates and prunes; returns the first fault (message and parameter), or null when the spec is valid.</summary>
    private static (string Message, string Parameter)? Check(
        IReadOnlyList<IReadOnlyList<int>> matrix, IReadOnlyList<NasBench101Operation> operations, out int[][] original, out NasBench101Operation[] originalOps,
        out (int[][] Matrix, NasBench101Operation[] Ops) pruned)
    {
        (original, originalOps, pruned) = ([], [], ([], []));
        var v = matrix.Count;
        if (v < 2 || v > MaxVertices)
        {
            return ($"matrix has {v} vertices; a NAS-Bench-101 cell has 2..{MaxVertices}.", nameof(matrix));
        }

        original = new int[v][];
        for (var i = 0; i < v; i++)
        {
            var row = matrix[i];
            if (row is null)
            {
                return ($"matrix row {i} is null.", nameof(matrix));
            }

            if (row.Count != v)
            {
                return ($"matrix row {i} has {row.Count} entries; the matrix must be square ({v}x{v}).", nameof(matrix));
            }

            original[i] = new int[v];
            for (var j = 0; j < v; j++)
            {
                var a = row[j];
                if (a is not (0 or 1))
                {
                    return ($"matrix[{i}][{j}] = {a}; entries must be 0 or 1.", nameof(matrix));
                }

                if (a == 1 && j <= i)
                {
                    return ($"matrix[{i}][{j}] = 1 is on or below the diagonal; the matrix must be strictly upper triangular (a DAG in vertex order).", nameof(matrix));
                }

                original[i][j] = a;
            }
        }

        if (operations.Count != v)
        {
            return ($"ops has {operations.Count} entries; the matrix has {v} vertices.", nameof(operations));
        }

        for (var i = 0; i < v; i++)
        {
            var op = operations[i];
            var expected = i == 0 ? "input" : i == v - 1 ? "output" : null;
            var ok = i == 0 ? op == NasBench101Operation.Input
                : i == v - 1 ? op == NasBench101Operation.Output
                : op is NasBench101Operation.Conv3x3BnRelu or NasBench101Operation.Conv1x1BnRelu or NasBench101Operation.MaxPool3x3;
            if (!ok)
            {
                var name = Enum.IsDefined(op) ? op.ToSpecName() : ((int)op).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return (expected is not null
                        ? $"ops[{i}] = '{name}'; vertex {i} must be '{expected}'."
                        : $"ops[{i}] = '{name}'; interior vertices must be conv3x3-bn-relu, conv1x1-bn-relu or maxpool3x3.",
                    nameof(operations));
            }
        }

        originalOps = [.. operations];
        if (Prune(original, originalOps) is not { } kept)
        {
            return ("The output vertex is not reachable from the input vertex; the spec is invalid.", nameof(matrix));
        }

        var edges = kept.Matrix.Sum(r => r.Sum());
        if (edges > MaxEdges)
        {
            return ($"The pruned spec has {edges} edges; NAS-Bench-101 allows at most {MaxEdges}.", nameof(matrix));
        }

        pruned = kept;
        return null;
    }

    /// <summary>The pruned adjacency matrix (a copy).</summary>
    public int[][] Matrix => [.. _matrix.Select(r => (int[])r.Clone())];

    /// <summary>The pruned ops.</summary>
    public IReadOnlyList<NasBench101Operation> Operations => _ops;

    /// <summary>The matrix as given, before pruning (a copy).</summary>
    public int[][] OriginalMatrix => [.. _originalMatrix.Select(r => (int[])r.Clone())];

    /// <summary>The ops as given, before pruning.</summary>
    public IReadOnlyList<NasBench101Operation> OriginalOperations => _originalOps;

    /// <summary>Vertices after pruning.</summary>
    public int VertexCount => _ops.Length;

    /// <summary>Edges after pruning.</summary>
    public int EdgeCount => _matrix.Sum(r => r.Sum());

    /// <summary>Whether the pruned spec has the edge <paramref name="from"/>→<paramref name="to"/>.</summary>
    /// <param name="from">Source vertex.</param>
    /// <param name="to">Target vertex.</param>
    /// <returns>True for an edge.</returns>
    public bool HasEdge(int from, int to) => _matrix[from][to] == 1;

    /// <summary>
    /// Parses <c>{"matrix": [[...], ...], "ops": ["input", ..., "output"]}</c> (the format of the fixtures and the
    /// <c>--spec</c> option).
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The pruned spec.</returns>
    /// <exception cref="FormatException">Not JSON of that shape (names the missing or mistyped part).</exception>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    public static ModelSpec ParseJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"NAS-Bench-101 spec is not valid JSON: {MessageText.Inline(ex.Message)}", ex);
        }

        using (doc)
        {
            return FromJson(doc.RootElement);
        }
    }

    /// <summary>Reads <c>{"matrix": [[...]], "ops": [...]}</c> from a JSON element.</summary>
    /// <param name="element">The object.</param>
    /// <returns>The pruned spec.</returns>
    /// <exception cref="FormatException">Not of that shape.</exception>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    public static ModelSpec FromJson(JsonElement element)
    {
        try
        {
            return FromJsonCore(element);
        }
        catch (InvalidOperationException ex)
        {
            // Valid JSON that is no .NET string (an escaped lone surrogate such as "\ud800") fails in System.Text.Json's
            // string conversion; to a caller it is malformed input like any other.
            throw new FormatException($"NAS-Bench-101 spec has a name or string that is not valid Unicode: {MessageText.Inline(ex.Message)}", ex);
        }
    }

    private static ModelSpec FromJsonCore(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("NAS-Bench-101 spec must be a JSON object with 'matrix' and 'ops'.");
        }

        if (!element.TryGetProperty("matrix", out var m) || m.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("NAS-Bench-101 spec needs 'matrix': an array of rows.");
        }

        if (!element.TryGetProperty("ops", out var o) || o.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("NAS-Bench-101 spec needs 'ops': an array of op names.");
        }

        var rows = new List<IReadOnlyList<int>>();
        var r = 0;
        foreach (var row in m.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"matrix row {r} is not an array.");
            }

            var values = new List<int>();
            var c = 0;
            foreach (var x in row.EnumerateArray())
            {
                if (x.ValueKind != JsonValueKind.Number || !x.TryGetInt32(out var value))
                {
                    throw new FormatException($"matrix[{r}][{c}] = {MessageText.Clip(x.GetRawText())} is not an integer.");
                }

                values.Add(value);
                c++;
            }

            rows.Add(values);
            r++;
        }

        var ops = new List<NasBench101Operation>();
        var k = 0;
        foreach (var x in o.EnumerateArray())
        {
            if (x.ValueKind != JsonValueKind.String || !NasBench101Operations.TryParse(x.GetString(), out var op))
            {
                throw new FormatException($"ops[{k}] = {MessageText.Clip(x.GetRawText())} is not one of input, conv3x3-bn-relu, conv1x1-bn-relu, maxpool3x3, output.");
            }

            ops.Add(op);
            k++;
        }

        return new ModelSpec(rows, ops);
    }

    /// <summary>The spec as <c>{"matrix":[[...]],"ops":[...]}</c>.</summary>
    /// <param name="original">Write the spec as given, before pruning (a search's cell), instead of the pruned one.</param>
    /// <returns>Compact JSON.</returns>
    public string ToJson(bool original = false)
    {
        var (matrix, ops) = original ? (_originalMatrix, _originalOps) : (_matrix, _ops);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartArray("matrix");
            foreach (var row in matrix)
            {
                w.WriteStartArray();
                foreach (var a in row)
                {
                    w.WriteNumberValue(a);
                }

                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteStartArray("ops");
            foreach (var op in ops)
            {
                w.WriteStringValue(op.ToSpecName());
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <inheritdoc />
    public override string ToString() => ToJson();

    /// <summary>Two specs are equal when they were given the same matrix and ops (before pruning), as a search tells cells apart.</summary>
    /// <param name="other">The other spec.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(ModelSpec? other)
        => other is not null
            && _originalOps.AsSpan().SequenceEqual(other._originalOps)
            && _originalMatrix.Zip(other._originalMatrix).All(r => r.First.AsSpan().SequenceEqual(r.Second));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ModelSpec);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var row in _originalMatrix)
        {
            foreach (var a in row)
            {
                hash.Add(a);
            }
        }

        foreach (var op in _originalOps)
        {
            hash.Add(op);
        }

        return hash.ToHashCode();
    }

    private static NasBench101Operation[] ParseOps(IReadOnlyList<string> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var ops = new NasBench101Operation[operations.Count];
        for (var i = 0; i < ops.Length; i++)
        {
            if (!NasBench101Operations.TryParse(operations[i], out ops[i]))
            {
                throw new ArgumentException($"ops[{i}] = '{operations[i]}' is not one of input, conv3x3-bn-relu, conv1x1-bn-relu, maxpool3x3, output.", nameof(operations));
            }
        }

        return ops;
    }

    // ModelSpec._prune: keep the vertices reached by a forward search from the input and a backward search from the
    // output; fewer than 2 remaining means the input is not connected to the output.
    private static (int[][] Matrix, NasBench101Operation[] Ops)? Prune(int[][] matrix, NasBench101Operation[] ops)
    {
        var v = ops.Length;
        var fromInput = new bool[v];
        fromInput[0] = true;
        for (var i = 0; i < v; i++)
        {
            if (fromInput[i])
            {
                for (var j = i + 1; j < v; j++)
                {
                    fromInput[j] |= matrix[i][j] == 1;
                }
            }
        }

        var toOutput = new bool[v];
        toOutput[v - 1] = true;
        for (var j = v - 1; j >= 0; j--)
        {
            if (toOutput[j])
            {
                for (var i = 0; i < j; i++)
                {
                    toOutput[i] |= matrix[i][j] == 1;
                }
            }
        }

        if (!fromInput[v - 1])
        {
            return null;
        }

        var keep = Enumerable.Range(0, v).Where(i => fromInput[i] && toOutput[i]).ToArray();
        var pruned = new int[keep.Length][];
        for (var a = 0; a < keep.Length; a++)
        {
            pruned[a] = new int[keep.Length];
            for (var b = 0; b < keep.Length; b++)
            {
                pruned[a][b] = matrix[keep[a]][keep[b]];
            }
        }

        return (pruned, [.. keep.Select(i => ops[i])]);
    }
}
