using System.Text.Json;

namespace GradSign.Search;

/// <summary>
/// The NAS-Bench-101 cell space (Ying et al. 2019): 7 vertices, upper-triangular adjacency, 3 interior operations, valid
/// when, after pruning the vertices that lie on no input→output path, the input still reaches the output and at most 9
/// edges remain. A single edit is one edge flipped or one interior operation changed;
/// <see cref="Mutate"/> is uniform over the valid single edits. <see cref="Sample"/> follows NAS-Bench-101's
/// <c>random_spec</c> (each edge with probability ½, each operation uniform, redrawn until valid).
/// Text form: the benchmark's JSON, <c>{"matrix":[[…]…],"ops":["input",…,"output"]}</c>.
/// </summary>
/// <remarks>
/// No trained-accuracy table for the whole space is available here (only a 292-cell sample), so the NAS-Bench-201
/// simulation has no NAS-Bench-101 counterpart; the space serves searches with a real evaluator.
/// </remarks>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class NasBench101SearchSpace : ISearchSpace<NasBench101Genotype>
{
    /// <summary>Largest number of edges of a valid (pruned) cell.</summary>
    public const int MaxEdges = 9;

    private const int OperationCodes = 243; // 3^5

    /// <inheritdoc/>
    public string Name => "nas-bench-101";

    /// <summary>Not enumerated: returns <see cref="int.MaxValue"/> (the valid genotypes number in the millions, unpruned).</summary>
    public int Count => int.MaxValue;

    /// <inheritdoc/>
    public bool Contains(NasBench101Genotype arch) => IsValid(arch);

    /// <summary>
    /// Whether a genotype is a valid NAS-Bench-101 cell, and how many vertices survive pruning.
    /// </summary>
    /// <param name="arch">The genotype.</param>
    /// <param name="prunedVertices">Vertices on an input→output path (0 when the output is unreachable).</param>
    /// <returns>True when the input reaches the output and at most <see cref="MaxEdges"/> edges join surviving vertices.</returns>
    public static bool IsValid(NasBench101Genotype arch, out int prunedVertices)
    {
        prunedVertices = 0;
        if ((uint)arch.EdgeBits >= 1u << NasBench101Genotype.EdgeSlots || (uint)arch.OperationCode >= OperationCodes)
        {
            return false;
        }

        const int n = NasBench101Genotype.Vertices;
        var fromInput = new bool[n];
        var toOutput = new bool[n];
        fromInput[0] = true;
        for (var to = 1; to < n; to++)
        {
            for (var from = 0; from < to && !fromInput[to]; from++)
            {
                fromInput[to] = fromInput[from] && arch.HasEdge(from, to);
            }
        }

        toOutput[n - 1] = true;
        for (var from = n - 2; from >= 0; from--)
        {
            for (var to = from + 1; to < n && !toOutput[from]; to++)
            {
                toOutput[from] = toOutput[to] && arch.HasEdge(from, to);
            }
        }

        if (!fromInput[n - 1])
        {
            return false;
        }

        var keep = new bool[n];
        for (var v = 0; v < n; v++)
        {
            keep[v] = fromInput[v] && toOutput[v];
            prunedVertices += keep[v] ? 1 : 0;
        }

        var edges = 0;
        for (var from = 0; from < n; from++)
        {
            for (var to = from + 1; to < n; to++)
            {
                edges += keep[from] && keep[to] && arch.HasEdge(from, to) ? 1 : 0;
            }
        }

        return edges <= MaxEdges;
    }

    /// <summary>Whether a genotype is a valid NAS-Bench-101 cell (see <see cref="IsValid(NasBench101Genotype, out int)"/>).</summary>
    /// <param name="arch">The genotype.</param>
    /// <returns>True when valid.</returns>
    public static bool IsValid(NasBench101Genotype arch) => IsValid(arch, out _);

    /// <inheritdoc/>
    public NasBench101Genotype Sample(SearchRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        while (true)
        {
            var bits = 0;
            for (var k = 0; k < NasBench101Genotype.EdgeSlots; k++)
            {
                bits |= random.NextInt(2) << k;
            }

            var arch = new NasBench101Genotype(bits, random.NextInt(OperationCodes));
            if (IsValid(arch))
            {
                return arch;
            }
        }
    }

    /// <inheritdoc/>
    public NasBench101Genotype Mutate(NasBench101Genotype arch, SearchRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var neighbours = Neighbours(arch);
        return neighbours.Count > 0 ? neighbours[random.NextInt(neighbours.Count)] : Sample(random);
    }

    /// <summary>Valid single edits in a fixed order: the 21 edge flips (bit order), then per interior vertex 1..5 the two other operations.</summary>
    /// <param name="arch">The genotype.</param>
    /// <returns>The valid neighbours.</returns>
    public IReadOnlyList<NasBench101Genotype> Neighbours(NasBench101Genotype arch)
    {
        var list = new List<NasBench101Genotype>(NasBench101Genotype.EdgeSlots + (2 * NasBench101Genotype.OperationSlots));
        for (var k = 0; k < NasBench101Genotype.EdgeSlots; k++)
        {
            var n = arch with { EdgeBits = arch.EdgeBits ^ (1 << k) };
            if (IsValid(n))
            {
                list.Add(n);
            }
        }

        var weight = OperationCodes;
        for (var v = 1; v <= NasBench101Genotype.OperationSlots; v++)
        {
            weight /= NasBench101Genotype.OperationChoices;
            var current = arch.OperationOf(v);
            for (var op = 0; op < NasBench101Genotype.OperationChoices; op++)
            {
                if (op != current)
                {
                    var n = arch with { OperationCode = arch.OperationCode + ((op - current) * weight) };
                    if (IsValid(n))
                    {
                        list.Add(n);
                    }
                }
            }
        }

        return list;
    }

    /// <inheritdoc/>
    public string Encode(NasBench101Genotype arch)
    {
        const int n = NasBench101Genotype.Vertices;
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("matrix");
            for (var from = 0; from < n; from++)
            {
                writer.WriteStartArray();
                for (var to = 0; to < n; to++)
                {
                    writer.WriteNumberValue(to > from && arch.HasEdge(from, to) ? 1 : 0);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("ops");
            writer.WriteStringValue("input");
            for (var v = 1; v < n - 1; v++)
            {
                writer.WriteStringValue(NasBench101Genotype.OperationNames[arch.OperationOf(v)]);
            }

            writer.WriteStringValue("output");
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <inheritdoc/>
    /// <exception cref="FormatException">Not a 7-vertex upper-triangular 0/1 matrix with input/…/output operations (the fault named).</exception>
    public NasBench101Genotype Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            using var doc = JsonDocument.Parse(text);
            var matrix = doc.RootElement.GetProperty("matrix");
            var ops = doc.RootElement.GetProperty("ops");
            const int n = NasBench101Genotype.Vertices;
            if (matrix.GetArrayLength() != n || ops.GetArrayLength() != n)
            {
                throw new FormatException($"NAS-Bench-101 cell '{text}' must have {n} vertices.");
            }

            var bits = 0;
            var row = 0;
            foreach (var r in matrix.EnumerateArray())
            {
                var values = r.EnumerateArray().Select(v => v.GetInt32()).ToArray();
                if (values.Length != n)
                {
                    throw new FormatException($"NAS-Bench-101 cell '{text}': matrix row {row} has {values.Length} entries.");
                }

                for (var col = 0; col < n; col++)
                {
                    if (values[col] is not (0 or 1) || (values[col] == 1 && col <= row))
                    {
                        throw new FormatException($"NAS-Bench-101 cell '{text}': entry [{row}][{col}] = {values[col]} (need a 0/1 strictly upper-triangular matrix).");
                    }

                    if (values[col] == 1)
                    {
                        bits |= 1 << NasBench101Genotype.EdgeIndex(row, col);
                    }
                }

                row++;
            }

            var names = ops.EnumerateArray().Select(o => o.GetString()).ToArray();
            if (names[0] != "input" || names[n - 1] != "output")
            {
                throw new FormatException($"NAS-Bench-101 cell '{text}' must start with 'input' and end with 'output'.");
            }

            var code = 0;
            for (var v = 1; v < n - 1; v++)
            {
                var op = names[v] is { } name ? IndexOf(name) : -1;
                if (op < 0)
                {
                    throw new FormatException($"NAS-Bench-101 cell '{text}': vertex {v} has unknown operation '{names[v]}'.");
                }

                code = (code * NasBench101Genotype.OperationChoices) + op;
            }

            return new NasBench101Genotype(bits, code);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"'{text}' is not a NAS-Bench-101 cell: {ex.Message}", ex);
        }
    }

    private static int IndexOf(string name)
    {
        for (var i = 0; i < NasBench101Genotype.OperationNames.Count; i++)
        {
            if (string.Equals(NasBench101Genotype.OperationNames[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
