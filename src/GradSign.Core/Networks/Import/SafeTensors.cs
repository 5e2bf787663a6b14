using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Unicode;
using GradSign.Internal;

namespace GradSign.Networks.Import;

/// <summary>One tensor read from a <c>.safetensors</c> file, converted to float32.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="DType">The stored dtype (<c>F32</c>, <c>F64</c>, <c>F16</c> or <c>BF16</c>).</param>
/// <param name="Shape">Row-major shape.</param>
/// <param name="Values">The values as float32 (F64 rounded to nearest, F16/BF16 widened exactly).</param>
public sealed record SafeTensor(string Name, string DType, IReadOnlyList<int> Shape, float[] Values);

/// <summary>
/// Reads and writes <c>.safetensors</c> files (Hugging Face format): an 8-byte little-endian header length N, N bytes
/// of UTF-8 JSON <c>{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {…}}</c>, then the
/// tensor bytes (little-endian, row-major), offsets relative to the start of that data block.
/// </summary>
/// <remarks>
/// Reading validates like the reference implementation: the header length fits the file, the header is a JSON
/// object, every tensor has a supported dtype, a non-negative shape and offsets that, sorted, tile the data block
/// exactly (no gaps, no overlap, nothing past the end) with <c>end − begin</c> = elements × dtype size; the header
/// must be UTF-8 and every name and string valid Unicode. Any violation is an <see cref="InvalidDataException"/> naming
/// the tensor (names clipped to 80 characters), never another exception type. F32, F64, F16 and BF16 are converted to float32; other
/// dtypes are rejected.
/// </remarks>
public static class SafeTensors
{
    /// <summary>Largest header accepted (the reference implementation's limit, 100 MB).</summary>
    public const int MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>Reads every tensor of a file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>Tensors by name, in data-offset order.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not valid safetensors (named reason).</exception>
    public static IReadOnlyDictionary<string, SafeTensor> ReadAll(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Parse(File.ReadAllBytes(path), path).Tensors;
    }

    /// <summary>Reads every tensor from bytes.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <returns>Tensors by name, in data-offset order.</returns>
    /// <exception cref="InvalidDataException">Not valid safetensors.</exception>
    public static IReadOnlyDictionary<string, SafeTensor> ReadAll(ReadOnlySpan<byte> bytes) => Parse(bytes, "safetensors data").Tensors;

    /// <summary>Reads the <c>__metadata__</c> string map of a file (empty when absent).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The metadata.</returns>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Parse(File.ReadAllBytes(path), path).Metadata;
    }

    /// <summary>
    /// Loads weights for <paramref name="spec"/> by parameter name: every parameter must be present with exactly its
    /// shape.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="spec">The network.</param>
    /// <param name="allowExtraTensors">When false (default), a tensor the network does not have is an error.</param>
    /// <returns>The weights.</returns>
    /// <exception cref="InvalidDataException">Invalid file, or a missing, extra or mis-shaped tensor (named).</exception>
    public static NetworkWeights Read(string path, NetworkSpec spec, bool allowExtraTensors = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(spec);
        return ToWeights(Parse(File.ReadAllBytes(path), path).Tensors, spec, allowExtraTensors, path);
    }

    /// <summary>Loads weights for <paramref name="spec"/> from bytes (see <see cref="Read(string, NetworkSpec, bool)"/>).</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="spec">The network.</param>
    /// <param name="allowExtraTensors">When false (default), a tensor the network does not have is an error.</param>
    /// <returns>The weights.</returns>
    /// <exception cref="InvalidDataException">Invalid data, or a missing, extra or mis-shaped tensor (named).</exception>
    public static NetworkWeights Read(ReadOnlySpan<byte> bytes, NetworkSpec spec, bool allowExtraTensors = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return ToWeights(Parse(bytes, "safetensors data").Tensors, spec, allowExtraTensors, "safetensors data");
    }

    /// <summary>Writes every parameter as F32 in spec order, header padded with spaces to a multiple of 8 bytes.</summary>
    /// <param name="path">The file (overwritten).</param>
    /// <param name="weights">The weights.</param>
    /// <param name="metadata">Optional <c>__metadata__</c> strings.</param>
    public static void Write(string path, NetworkWeights weights, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.WriteAllBytes(path, Serialize(weights, metadata));
    }

    /// <summary>The bytes <see cref="Write"/> would write.</summary>
    /// <param name="weights">The weights.</param>
    /// <param name="metadata">Optional <c>__metadata__</c> strings.</param>
    /// <returns>A complete safetensors file.</returns>
    public static byte[] Serialize(NetworkWeights weights, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var spec = weights.Spec;
        using var header = new MemoryStream();
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject(MetadataKey);
                foreach (var (k, v) in metadata)
                {
                    w.WriteString(k, v);
                }

                w.WriteEndObject();
            }

            long offset = 0;
            foreach (var p in spec.Parameters)
            {
                w.WriteStartObject(p.Name);
                w.WriteString("dtype", "F32");
                w.WriteStartArray("shape");
                foreach (var d in p.Shape)
                {
                    w.WriteNumberValue(d);
                }

                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                offset += 4L * p.ElementCount;
                w.WriteNumberValue(offset);
                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        var json = header.ToArray();
        var padded = (json.Length + 7) / 8 * 8;
        var dataBytes = spec.Parameters.Sum(p => 4L * p.ElementCount);
        var result = new byte[checked(8 + padded + dataBytes)];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)padded);
        json.CopyTo(result, 8);
        result.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        var pos = 8 + padded;
        foreach (var p in spec.Parameters)
        {
            foreach (var v in weights[p.Index])
            {
                BinaryPrimitives.WriteSingleLittleEndian(result.AsSpan(pos), v);
                pos += 4;
            }
        }

        return result;
    }

    private static NetworkWeights ToWeights(IReadOnlyDictionary<string, SafeTensor> tensors, NetworkSpec spec, bool allowExtra, string source)
    {
        var values = new float[spec.Parameters.Count][];
        foreach (var p in spec.Parameters)
        {
            if (!tensors.TryGetValue(p.Name, out var t))
            {
                throw new InvalidDataException($"{source}: no tensor '{p.Name}' (shape [{string.Join(",", p.Shape)}]) for the network's parameter {p.Index}.");
            }

            if (!t.Shape.SequenceEqual(p.Shape))
            {
                throw new InvalidDataException($"{source}: tensor '{p.Name}' has shape [{string.Join(",", t.Shape)}]; the network needs [{string.Join(",", p.Shape)}].");
            }

            values[p.Index] = t.Values;
        }

        if (!allowExtra)
        {
            var extra = tensors.Keys.FirstOrDefault(k => spec.FindParameter(k) is null);
            if (extra is not null)
            {
                throw new InvalidDataException($"{source}: tensor '{MessageText.Clip(extra)}' is not a parameter of the network ({tensors.Count} tensors in the file, {spec.Parameters.Count} parameters).");
            }
        }

        return new NetworkWeights(spec, values);
    }

    private static (Dictionary<string, SafeTensor> Tensors, Dictionary<string, string> Metadata) Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 8)
        {
            throw new InvalidDataException($"{source}: {bytes.Length} bytes; a safetensors file starts with an 8-byte header length.");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength < 2 || headerLength > MaxHeaderBytes || headerLength > (ulong)(bytes.Length - 8))
        {
            throw new InvalidDataException($"{source}: header length {headerLength} is invalid (file has {bytes.Length} bytes, limit {MaxHeaderBytes}).");
        }

        var headerBytes = bytes.Slice(8, (int)headerLength);
        if (headerBytes[0] != (byte)'{')
        {
            throw new InvalidDataException($"{source}: the header does not start with '{{'.");
        }

        if (!Utf8.IsValid(headerBytes))
        {
            throw new InvalidDataException($"{source}: the header is not valid UTF-8.");
        }

        var data = bytes[(8 + (int)headerLength)..];
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(headerBytes.ToArray());
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: the header is not valid JSON: {MessageText.Inline(ex.Message)}", ex);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{source}: the header is not a JSON object.");
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<(string Name, string DType, int[] Shape, long Begin, long End, long Count)>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                var name = NameOf(property, source);
                if (!names.Add(name))
                {
                    throw new InvalidDataException($"{source}: key '{MessageText.Clip(name)}' appears twice in the header.");
                }

                try
                {
                    if (name == MetadataKey)
                    {
                        ReadMetadata(property.Value, metadata, source);
                        continue;
                    }

                    entries.Add(ReadEntry(name, property.Value, source));
                }
                catch (InvalidOperationException ex)
                {
                    // TryGetProperty unescapes the keys it compares, and throws on a key with an escaped lone surrogate.
                    throw new InvalidDataException($"{source}: entry '{MessageText.Clip(name)}' has a key that is not valid Unicode ({MessageText.Inline(ex.Message)}).", ex);
                }
            }

            // Sorted by offset, the tensors must tile the data block exactly.
            entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            long expectedBegin = 0;
            foreach (var e in entries)
            {
                if (e.Begin != expectedBegin)
                {
                    throw new InvalidDataException(e.Begin < expectedBegin
                        ? $"{source}: tensor '{MessageText.Clip(e.Name)}' data [{e.Begin}, {e.End}) overlaps the previous tensor (which ends at {expectedBegin})."
                        : $"{source}: tensor '{MessageText.Clip(e.Name)}' data starts at {e.Begin}, leaving a gap after {expectedBegin}.");
                }

                expectedBegin = e.End;
            }

            if (expectedBegin != data.Length)
            {
                throw new InvalidDataException(expectedBegin > data.Length
                    ? $"{source}: tensor data ends at byte {expectedBegin}, past the end of the data block ({data.Length} bytes)."
                    : $"{source}: the data block has {data.Length} bytes but the tensors cover only {expectedBegin}.");
            }

            var tensors = new Dictionary<string, SafeTensor>(StringComparer.Ordinal);
            foreach (var e in entries)
            {
                tensors[e.Name] = new SafeTensor(e.Name, e.DType, e.Shape, Convert(data.Slice((int)e.Begin, (int)(e.End - e.Begin)), e.DType, e.Count));
            }

            return (tensors, metadata);
        }
    }

    private static (string Name, string DType, int[] Shape, long Begin, long End, long Count) ReadEntry(string name, JsonElement e, string source)
    {
        var quoted = MessageText.Clip(name);
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{source}: header entry '{quoted}' is not an object.");
        }

        if (!e.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException($"{source}: tensor '{quoted}' has no string 'dtype'.");
        }

        var dtype = StringOf(dt, source, $"tensor '{quoted}' dtype");
        var size = dtype switch
        {
            "F32" => 4,
            "F64" => 8,
            "F16" or "BF16" => 2,
            _ => throw new InvalidDataException($"{source}: tensor '{quoted}' has dtype '{MessageText.Clip(dtype)}'; only F32, F64, F16 and BF16 can be read as float32."),
        };

        if (!e.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{source}: tensor '{quoted}' has no 'shape' array.");
        }

        var shape = new List<int>();
        long count = 1;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out var dim) || dim < 0)
            {
                throw new InvalidDataException($"{source}: tensor '{quoted}' has shape entry {MessageText.Clip(d.GetRawText())}; dimensions are non-negative integers.");
            }

            shape.Add(dim);
            count = count * dim is var c && c <= int.MaxValue ? c : throw new InvalidDataException($"{source}: tensor '{quoted}' has more than {int.MaxValue} elements.");
        }

        // TryGetInt64 throws (InvalidOperationException) on a non-number, so the kinds are checked first.
        if (!e.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2
            || off[0].ValueKind != JsonValueKind.Number || off[1].ValueKind != JsonValueKind.Number
            || !off[0].TryGetInt64(out var begin) || !off[1].TryGetInt64(out var end) || begin < 0 || end < begin)
        {
            throw new InvalidDataException($"{source}: tensor '{quoted}' needs 'data_offsets' [begin, end] with 0 <= begin <= end.");
        }

        if (end - begin != count * size)
        {
            throw new InvalidDataException($"{source}: tensor '{quoted}' spans {end - begin} bytes; shape [{string.Join(",", shape)}] of {dtype} needs {count * size}.");
        }

        return (name, dtype, [.. shape], begin, end, count);
    }

    private static void ReadMetadata(JsonElement e, Dictionary<string, string> metadata, string source)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{source}: '{MetadataKey}' is not an object.");
        }

        foreach (var p in e.EnumerateObject())
        {
            var key = NameOf(p, source);
            metadata[key] = p.Value.ValueKind == JsonValueKind.String
                ? StringOf(p.Value, source, $"metadata '{MessageText.Clip(key)}'")
                : throw new InvalidDataException($"{source}: metadata '{MessageText.Clip(key)}' is not a string.");
        }
    }

    /// <summary>A property's name; an escaped lone surrogate (<c>"\ud800"</c>) is valid JSON but no .NET string, which
    /// System.Text.Json reports as <see cref="InvalidOperationException"/>.</summary>
    private static string NameOf(JsonProperty property, string source)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidDataException($"{source}: a header key is not valid Unicode ({MessageText.Inline(ex.Message)}).", ex);
        }
    }

    /// <summary>A string value (see <see cref="NameOf"/> for why it can fail).</summary>
    private static string StringOf(JsonElement value, string source, string what)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidDataException($"{source}: {what} is not valid Unicode ({MessageText.Inline(ex.Message)}).", ex);
        }
    }

    private static float[] Convert(ReadOnlySpan<byte> bytes, string dtype, long count)
    {
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = dtype switch
            {
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]),
                "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * i)..]),

                // bfloat16 is the upper half of a float32.
                _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) << 16),
            };
        }

        return values;
    }
}
