using GradSign.Internal;
using GradSign.Search;

namespace GradSign.SearchSpaces.NasBench101;

/// <summary>
/// The NAS-Bench-101 cell space (Ying et al. 2019) for searchers: 7-vertex <see cref="ModelSpec"/>s (upper-triangular
/// adjacency, 3 interior operations) that are valid after pruning (<see cref="ModelSpec.TryCreate"/>). A cell is kept as
/// given, unpruned, as NAS-Bench-101's own search examples keep it: a single edit is one of the 21 edges flipped or one
/// interior operation changed, and two cells that prune to the same module are different cells. <see cref="Mutate"/> is
/// uniform over the valid single edits. <see cref="Sample"/> follows NAS-Bench-101's <c>random_spec</c> (each edge with
/// probability ½, each operation uniform, redrawn until valid). Text form: the benchmark's JSON of the unpruned cell.
/// </summary>
/// <remarks>
/// No trained-accuracy table for the whole space is available here (only a 292-cell sample), so searches on it need a
/// real evaluator.
/// </remarks>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class NasBench101SearchSpace : ISearchSpace<ModelSpec>
{
    /// <summary>Vertices of a cell of this space (input, 5 interior, output).</summary>
    public const int Vertices = ModelSpec.MaxVertices;

    private static readonly NasBench101Operation[] Interior =
        [NasBench101Operation.Conv3x3BnRelu, NasBench101Operation.Conv1x1BnRelu, NasBench101Operation.MaxPool3x3];

    /// <inheritdoc/>
    public string Name => "nas-bench-101";

    /// <summary>Not enumerated: returns <see cref="int.MaxValue"/> (the valid unpruned cells number in the millions).</summary>
    public int Count => int.MaxValue;

    /// <inheritdoc/>
    public bool Contains(ModelSpec arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        return arch.OriginalOperations.Count == Vertices;
    }

    /// <inheritdoc/>
    public ModelSpec Sample(SearchRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        while (true)
        {
            var matrix = new int[Vertices][];
            for (var from = 0; from < Vertices; from++)
            {
                matrix[from] = new int[Vertices];
                for (var to = from + 1; to < Vertices; to++)
                {
                    matrix[from][to] = random.NextInt(2);
                }
            }

            var ops = new NasBench101Operation[Vertices];
            ops[0] = NasBench101Operation.Input;
            ops[^1] = NasBench101Operation.Output;
            for (var v = 1; v < Vertices - 1; v++)
            {
                ops[v] = Interior[random.NextInt(Interior.Length)];
            }

            if (ModelSpec.TryCreate(matrix, ops, out var spec))
            {
                return spec;
            }
        }
    }

    /// <inheritdoc/>
    public ModelSpec Mutate(ModelSpec arch, SearchRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var neighbours = Neighbours(arch);
        return neighbours.Count > 0 ? neighbours[random.NextInt(neighbours.Count)] : Sample(random);
    }

    /// <summary>Valid single edits in a fixed order: the 21 edge flips (row-major upper triangle), then per interior vertex
    /// 1..5 the two other operations.</summary>
    /// <param name="arch">A cell of this space.</param>
    /// <returns>The valid neighbours.</returns>
    /// <exception cref="ArgumentException">Not a 7-vertex cell.</exception>
    public IReadOnlyList<ModelSpec> Neighbours(ModelSpec arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        if (!Contains(arch))
        {
            throw new ArgumentException($"A NAS-Bench-101 search cell has {Vertices} vertices; got {arch.OriginalOperations.Count}.", nameof(arch));
        }

        var list = new List<ModelSpec>();
        var ops = arch.OriginalOperations;
        for (var from = 0; from < Vertices; from++)
        {
            for (var to = from + 1; to < Vertices; to++)
            {
                var matrix = arch.OriginalMatrix;
                matrix[from][to] ^= 1;
                if (ModelSpec.TryCreate(matrix, ops, out var n))
                {
                    list.Add(n);
                }
            }
        }

        for (var v = 1; v < Vertices - 1; v++)
        {
            foreach (var op in Interior)
            {
                if (op != ops[v])
                {
                    var changed = ops.ToArray();
                    changed[v] = op;
                    if (ModelSpec.TryCreate(arch.OriginalMatrix, changed, out var n))
                    {
                        list.Add(n);
                    }
                }
            }
        }

        return list;
    }

    /// <inheritdoc/>
    public string Encode(ModelSpec arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        return arch.ToJson(original: true);
    }

    /// <inheritdoc/>
    /// <exception cref="FormatException">Not a valid 7-vertex NAS-Bench-101 cell (the fault named).</exception>
    public ModelSpec Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ModelSpec spec;
        try
        {
            spec = ModelSpec.ParseJson(text);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"'{MessageText.Clip(text)}' is not a valid NAS-Bench-101 cell: {MessageText.Inline(ex.Message)}", ex);
        }

        return Contains(spec) ? spec : throw new FormatException($"'{MessageText.Clip(text)}': a NAS-Bench-101 search cell has {Vertices} vertices.");
    }
}
