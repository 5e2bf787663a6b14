using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using GradSign.Backends;
using GradSign.Networks;
using GradSign.SearchSpaces.NasBench101;
using GradSign.SearchSpaces.NasBench201;

namespace GradSign.Cli.Fixtures;

/// <summary>
/// One case of the oracle fixtures (<c>../shared/oracle/fixtures</c>, <c>fixtures_ext</c>): the network rebuilt from
/// its manifest, the stored weights loaded into it by name with shape checks, the input batch, and typed access to
/// the expected values (proxies, forward logits, gradients).
/// </summary>
/// <remarks>
/// <para>NAS-Bench-201 cases (<c>space</c> absent or <c>"nb201"</c>) build
/// <see cref="NasBench201Network.Build(NasBench201Cell, NasBench201NetworkOptions?)"/> in the
/// <see cref="NasBench201Variant.ZeroCostNas"/> variant with the manifest's <c>arch</c>, <c>C</c>, <c>N</c>,
/// <c>num_classes</c> and input size; NAS-Bench-101 cases build <see cref="NasBench101Network"/> from <c>spec</c>,
/// <c>stem_channels</c>, <c>num_stacks</c>, <c>cells_per_stack</c>, <c>num_classes</c>.</para>
/// <para>The manifest's <c>params.tensors</c> must list exactly the network's parameters, with the same names,
/// in the same order, with the same shapes; anything else is an <see cref="InvalidDataException"/> naming the
/// tensor. File paths in a manifest are relative to the manifest's folder.</para>
/// </remarks>
/// <threadsafety>Immutable after loading (the weight and gradient arrays are live; do not modify them).</threadsafety>
public sealed class OracleFixture
{
    private OracleFixture(string directory, JsonElement manifest, NetworkSpec spec, NetworkWeights weights, Batch batch,
        IReadOnlyList<float[]>? gradients, NasBench201Cell? cell, NasBench201NetworkOptions? nb201Options,
        ModelSpec? modelSpec, NasBench101NetworkOptions? nb101Options)
    {
        CaseDirectory = directory;
        Manifest = manifest;
        Spec = spec;
        Weights = weights;
        Batch = batch;
        Gradients = gradients;
        Cell = cell;
        NasBench201Options = nb201Options;
        ModelSpec = modelSpec;
        NasBench101Options = nb101Options;
    }

    /// <summary>Full path of the case folder.</summary>
    public string CaseDirectory { get; }

    /// <summary>The whole manifest (a detached copy of the parsed JSON).</summary>
    public JsonElement Manifest { get; }

    /// <summary>The case id, e.g. <c>c8n1_00_best</c>.</summary>
    public string Case => Manifest.GetProperty("case").GetString() ?? string.Empty;

    /// <summary><c>nb201</c> or <c>nb101</c>.</summary>
    public string Space => Manifest.TryGetProperty("space", out var s) ? s.GetString() ?? "nb201" : "nb201";

    /// <summary>The network.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>The stored weights (<c>params.f32</c>).</summary>
    public NetworkWeights Weights { get; }

    /// <summary>The stored input batch and labels.</summary>
    public Batch Batch { get; }

    /// <summary>
    /// The stored d(mean batch CE)/d(parameter) (<c>grads.f32</c>), one array per parameter in spec order, or null
    /// when the case has none.
    /// </summary>
    public IReadOnlyList<float[]>? Gradients { get; }

    /// <summary>The NAS-Bench-201 cell, or null for other spaces.</summary>
    public NasBench201Cell? Cell { get; }

    /// <summary>The NAS-Bench-201 network options, or null for other spaces.</summary>
    public NasBench201NetworkOptions? NasBench201Options { get; }

    /// <summary>The NAS-Bench-101 spec (pruned), or null for other spaces.</summary>
    public ModelSpec? ModelSpec { get; }

    /// <summary>The NAS-Bench-101 network options, or null for other spaces.</summary>
    public NasBench101NetworkOptions? NasBench101Options { get; }

    /// <summary>Names of the proxies with expected values, in manifest order (e.g. <c>snip</c>, <c>grasp</c>, …).</summary>
    public IReadOnlyList<string> ProxyNames
        => Manifest.TryGetProperty("proxies", out var p) ? [.. p.EnumerateObject().Select(o => o.Name)] : [];

    /// <summary>Names of the scored tensors (conv and linear weights) in file order.</summary>
    public IReadOnlyList<string> ScoredTensors
        => Manifest.TryGetProperty("scored_tensors", out var s) ? [.. s.EnumerateArray().Select(e => e.GetString() ?? string.Empty)] : [];

    /// <summary>Expected logits of the float32 pipeline, row-major [batch, classes].</summary>
    public double[] ForwardLogits => ReadMatrix(Manifest.GetProperty("forward").GetProperty("logits"));

    /// <summary>Expected logits of the float64 pipeline, row-major [batch, classes].</summary>
    public double[] ForwardLogitsF64 => ReadMatrix(Manifest.GetProperty("forward").GetProperty("logits_f64"));

    /// <summary>Expected batch-mean cross-entropy of the float32 pipeline.</summary>
    public double ForwardLoss => ReadNumber(Manifest.GetProperty("forward").GetProperty("loss"));

    /// <summary>Whether the manifest has an expected value for <paramref name="proxy"/>.</summary>
    /// <param name="proxy">Proxy id as in the manifest, e.g. <c>gradsign</c>.</param>
    /// <returns>True when present.</returns>
    public bool HasProxy(string proxy)
        => Manifest.TryGetProperty("proxies", out var p) && p.TryGetProperty(proxy, out _);

    /// <summary>The manifest object of a proxy (<c>value</c>, <c>value_f64</c>, <c>per_layer</c>, …).</summary>
    /// <param name="proxy">Proxy id, e.g. <c>snip</c>.</param>
    /// <returns>The JSON object.</returns>
    /// <exception cref="KeyNotFoundException">The case has no such proxy.</exception>
    public JsonElement Proxy(string proxy)
        => Manifest.TryGetProperty("proxies", out var p) && p.TryGetProperty(proxy, out var e)
            ? e
            : throw new KeyNotFoundException($"Fixture '{Case}' has no expected value for proxy '{proxy}'; it has: {string.Join(", ", ProxyNames)}.");

    /// <summary>A numeric field of a proxy, e.g. <c>value</c>, <c>value_f64</c>, <c>abs_sum</c>, <c>rel_diff_f32_vs_f64</c>.</summary>
    /// <param name="proxy">Proxy id.</param>
    /// <param name="field">Field name; default <c>value</c>.</param>
    /// <returns>The value; the strings "NaN", "Infinity", "-Infinity" map to the IEEE values.</returns>
    /// <exception cref="KeyNotFoundException">No such proxy or field.</exception>
    public double ExpectedProxy(string proxy, string field = "value")
        => Proxy(proxy).TryGetProperty(field, out var v)
            ? ReadNumber(v)
            : throw new KeyNotFoundException($"Fixture '{Case}' proxy '{proxy}' has no field '{field}'.");

    /// <summary>A per-layer array of a proxy (aligned with <see cref="ScoredTensors"/>).</summary>
    /// <param name="proxy">Proxy id.</param>
    /// <param name="field">Field name; default <c>per_layer</c>.</param>
    /// <returns>The values.</returns>
    public double[] ExpectedPerLayer(string proxy, string field = "per_layer")
        => [.. Proxy(proxy).GetProperty(field).EnumerateArray().Select(ReadNumber)];

    /// <summary>A square matrix field of a proxy, e.g. NASWOT's <c>K</c> / <c>K_f64</c> or jacob_cov's <c>corrcoef</c>.</summary>
    /// <param name="proxy">Proxy id.</param>
    /// <param name="field">Field name (an array of equally long rows).</param>
    /// <returns>The matrix.</returns>
    /// <exception cref="KeyNotFoundException">No such proxy or field.</exception>
    /// <exception cref="InvalidDataException">The field is not a square matrix.</exception>
    public double[,] ExpectedMatrix(string proxy, string field)
    {
        var rows = Proxy(proxy).TryGetProperty(field, out var e)
            ? e.EnumerateArray().Select(r => r.EnumerateArray().Select(ReadNumber).ToArray()).ToArray()
            : throw new KeyNotFoundException($"Fixture '{Case}' proxy '{proxy}' has no field '{field}'.");
        var m = new double[rows.Length, rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i].Length != rows.Length)
            {
                throw new InvalidDataException($"Fixture '{Case}' proxy '{proxy}' field '{field}': row {i} has {rows[i].Length} values; a square matrix of {rows.Length} rows needs {rows.Length}.");
            }

            for (var j = 0; j < rows.Length; j++)
            {
                m[i, j] = rows[i][j];
            }
        }

        return m;
    }

    /// <summary>Names of the case folders (those holding a <c>manifest.json</c>) of a fixture folder, sorted ordinally.</summary>
    /// <param name="fixturesFolder">E.g. <c>../shared/oracle/fixtures</c>.</param>
    /// <returns>The names; empty when the folder does not exist.</returns>
    public static IReadOnlyList<string> CaseNames(string fixturesFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fixturesFolder);
        return Directory.Exists(fixturesFolder)
            ? [.. Directory.GetDirectories(fixturesFolder).Where(d => File.Exists(Path.Combine(d, "manifest.json"))).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>Reads a manifest number, mapping the strings "NaN", "Infinity" and "-Infinity".</summary>
    /// <param name="element">A JSON number or one of those strings.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidDataException">Neither.</exception>
    public static double ReadNumber(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.String => element.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => throw new InvalidDataException($"'{s}' is not a number."),
        },
        _ => throw new InvalidDataException($"{element.GetRawText()} is not a number."),
    };

    /// <summary>Loads a case folder (the folder that holds <c>manifest.json</c>).</summary>
    /// <param name="caseDirectory">E.g. <c>../shared/oracle/fixtures/c8n1_00_best</c>.</param>
    /// <returns>The loaded case.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The manifest or a file it names is missing.</exception>
    /// <exception cref="InvalidDataException">The manifest or a binary file does not match the network (named).</exception>
    public static OracleFixture Load(string caseDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseDirectory);
        var dir = Path.GetFullPath(caseDirectory);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"Fixture folder '{caseDirectory}' does not exist.");
        }

        var manifestPath = Path.Combine(dir, "manifest.json");
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"Fixture folder '{dir}' has no manifest.json.", manifestPath);
        }

        JsonElement m;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(manifestPath));
            m = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{manifestPath}' is not valid JSON: {ex.Message}", ex);
        }

        try
        {
            return LoadCore(dir, m);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"Fixture '{dir}': {ex.Message}", ex);
        }
    }

    private static OracleFixture LoadCore(string dir, JsonElement m)
    {
        var space = m.TryGetProperty("space", out var sp) ? sp.GetString() : "nb201";
        var inputShape = ReadInts(Required(m, "input").GetProperty("shape"), "input.shape");
        if (inputShape.Length != 4 || inputShape[1] != 3 || inputShape[2] != inputShape[3])
        {
            throw new InvalidDataException($"input.shape [{string.Join(",", inputShape)}] must be [B, 3, H, H].");
        }

        NetworkSpec spec;
        NasBench201Cell? cell = null;
        NasBench201NetworkOptions? o201 = null;
        ModelSpec? model = null;
        NasBench101NetworkOptions? o101 = null;
        switch (space)
        {
            case "nb201":
                cell = NasBench201Cell.Parse(Required(m, "arch").GetString() ?? string.Empty);
                o201 = new NasBench201NetworkOptions(
                    Channels: Required(m, "C").GetInt32(),
                    CellsPerStage: Required(m, "N").GetInt32(),
                    NumClasses: Required(m, "num_classes").GetInt32(),
                    InputSize: inputShape[2],
                    Variant: NasBench201Variant.ZeroCostNas);
                spec = NasBench201Network.Build(cell, o201);
                break;
            case "nb101":
                model = SearchSpaces.NasBench101.ModelSpec.FromJson(Required(m, "spec"));
                o101 = new NasBench101NetworkOptions(
                    StemChannels: Required(m, "stem_channels").GetInt32(),
                    Stacks: Required(m, "num_stacks").GetInt32(),
                    CellsPerStack: Required(m, "cells_per_stack").GetInt32(),
                    NumClasses: Required(m, "num_classes").GetInt32(),
                    InputSize: inputShape[2]);
                spec = NasBench101Network.Build(model, o101);
                break;
            default:
                throw new InvalidDataException($"Unknown space '{space}' (expected nb201 or nb101).");
        }

        var paramsElement = Required(m, "params");
        var tensors = ReadTensorTable(spec, paramsElement);
        var flat = ReadFloats(ResolveFile(dir, paramsElement, "params"));
        var weights = new NetworkWeights(spec, Slice(flat, tensors, "params"));

        IReadOnlyList<float[]>? grads = null;
        if (m.TryGetProperty("grads", out var g))
        {
            grads = Slice(ReadFloats(ResolveFile(dir, g, "grads")), tensors, "grads");
        }

        var images = ReadFloats(ResolveFile(dir, m.GetProperty("input"), "input"));
        var labelsElement = Required(m, "labels");
        var labels = ReadInts32(ResolveFile(dir, labelsElement, "labels"));
        var batchSize = inputShape[0];
        if (labels.Length != batchSize)
        {
            throw new InvalidDataException($"labels file has {labels.Length} labels; input.shape says batch {batchSize}.");
        }

        var batch = new Batch(images, labels, batchSize, inputShape[1], inputShape[2], inputShape[3]);
        return new OracleFixture(dir, m, spec, weights, batch, grads, cell, o201, model, o101);
    }

    // Checks the manifest's tensor table against the network: same count, names, order and shapes.
    private static (int Offset, int Count)[] ReadTensorTable(NetworkSpec spec, JsonElement paramsElement)
    {
        var list = Required(paramsElement, "tensors").EnumerateArray().ToArray();
        var n = Math.Min(list.Length, spec.Parameters.Count);
        var table = new (int Offset, int Count)[spec.Parameters.Count];
        for (var i = 0; i < n; i++)
        {
            var t = list[i];
            var p = spec.Parameters[i];
            var name = Required(t, "name").GetString();
            if (name != p.Name)
            {
                var where = spec.FindParameter(name ?? string.Empty) is { } other ? $" (the network has it at position {other.Index})" : " (the network has no such parameter)";
                throw new InvalidDataException($"params.tensors[{i}] is '{name}' but the network's parameter {i} is '{p.Name}'{where}.");
            }

            var shape = ReadInts(Required(t, "shape"), $"params.tensors[{i}].shape");
            if (!shape.SequenceEqual(p.Shape))
            {
                throw new InvalidDataException($"Tensor '{name}' has shape [{string.Join(",", shape)}] in the manifest; the network needs [{string.Join(",", p.Shape)}].");
            }

            var offset = Required(t, "offset").GetInt32();
            var count = Required(t, "numel").GetInt32();
            if (count != p.ElementCount || offset < 0)
            {
                throw new InvalidDataException($"Tensor '{name}' has offset {offset} and numel {count}; shape [{string.Join(",", shape)}] needs {p.ElementCount}.");
            }

            table[i] = (offset, count);
        }

        if (list.Length > spec.Parameters.Count)
        {
            throw new InvalidDataException($"params.tensors lists {list.Length} tensors; the network has only {spec.Parameters.Count} (first extra: '{list[spec.Parameters.Count].GetProperty("name").GetString()}').");
        }

        if (list.Length < spec.Parameters.Count)
        {
            throw new InvalidDataException($"params.tensors lists {list.Length} tensors; the network has {spec.Parameters.Count} (first missing: '{spec.Parameters[list.Length].Name}').");
        }

        if (paramsElement.TryGetProperty("total_elements", out var total) && total.GetInt64() != spec.ParameterCount)
        {
            throw new InvalidDataException($"params.total_elements is {total.GetInt64()}; the network has {spec.ParameterCount} parameter elements.");
        }

        return table;
    }

    private static float[][] Slice(float[] flat, (int Offset, int Count)[] table, string what)
    {
        var result = new float[table.Length][];
        for (var i = 0; i < table.Length; i++)
        {
            var (offset, count) = table[i];
            if ((long)offset + count > flat.Length)
            {
                throw new InvalidDataException($"{what}: tensor {i} spans [{offset}, {(long)offset + count}) but the file holds {flat.Length} floats.");
            }

            result[i] = flat.AsSpan(offset, count).ToArray();
        }

        return result;
    }

    private static JsonElement Required(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) ? v : throw new InvalidDataException($"Manifest field '{name}' is missing.");

    private static string ResolveFile(string dir, JsonElement e, string what)
    {
        var file = Required(e, "file").GetString();
        if (string.IsNullOrWhiteSpace(file))
        {
            throw new InvalidDataException($"Manifest field '{what}.file' is empty.");
        }

        var path = Path.GetFullPath(Path.Combine(dir, file));
        return File.Exists(path) ? path : throw new FileNotFoundException($"'{what}.file' names '{file}', which does not exist (resolved to '{path}').", path);
    }

    private static int[] ReadInts(JsonElement e, string what)
        => e.ValueKind == JsonValueKind.Array
            ? [.. e.EnumerateArray().Select(x => x.GetInt32())]
            : throw new InvalidDataException($"Manifest field '{what}' must be an array of integers.");

    private static double[] ReadMatrix(JsonElement rows)
        => [.. rows.EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(ReadNumber)];

    /// <summary>Reads a headerless little-endian float32 file.</summary>
    internal static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length % 4 != 0)
        {
            throw new InvalidDataException($"'{path}' has {bytes.Length} bytes, not a whole number of float32 values.");
        }

        if (BitConverter.IsLittleEndian)
        {
            return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        }

        var values = new float[bytes.Length / 4];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
        }

        return values;
    }

    private static int[] ReadInts32(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length % 4 != 0)
        {
            throw new InvalidDataException($"'{path}' has {bytes.Length} bytes, not a whole number of int32 values.");
        }

        var values = new int[bytes.Length / 4];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4 * i));
        }

        return values;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Case} ({Space}, {Spec.ParameterCount} parameters)");
}
