using System.Text;
using System.Text.Json;


namespace GradSign.Cli.Results;

/// <summary>
/// Every setting that changes a study's scores (space, dataset, network, batch, seed, precision, backend, …), recorded in
/// the first line of its results file, so that resuming or merging can refuse rows scored under other settings. Keys
/// starting with <see cref="InformationalPrefix"/> (the build, say) are recorded but not compared.
/// </summary>
/// <threadsafety>Immutable.</threadsafety>
public sealed class StudySettings : IEquatable<StudySettings>
{
    /// <summary>Prefix of keys that are recorded but never compared (e.g. <c>info.build</c>).</summary>
    public const string InformationalPrefix = "info.";

    private readonly SortedDictionary<string, string> _values;

    /// <summary>Creates settings from key/value pairs.</summary>
    /// <param name="values">Distinct non-empty keys and their values.</param>
    /// <exception cref="ArgumentException">An empty or duplicate key.</exception>
    public StudySettings(IEnumerable<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(key, nameof(values));
            ArgumentNullException.ThrowIfNull(value, nameof(values));
            if (!_values.TryAdd(key, value))
            {
                throw new ArgumentException($"Setting '{key}' is given twice.", nameof(values));
            }
        }
    }

    /// <summary>The settings, ordered by key.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>The first difference in a compared setting, e.g. <c>batch=32 (here: 64)</c>, or null when they agree.</summary>
    /// <param name="other">The settings to compare with.</param>
    /// <returns>A description of the first difference naming <paramref name="other"/>'s value first, or null.</returns>
    public string? FirstDifference(StudySettings other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var key in _values.Keys.Union(other._values.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (key.StartsWith(InformationalPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var mine = _values.GetValueOrDefault(key);
            var theirs = other._values.GetValueOrDefault(key);
            if (!string.Equals(mine, theirs, StringComparison.Ordinal))
            {
                return $"{key}={theirs ?? "(absent)"} (here: {mine ?? "(absent)"})";
            }
        }

        return null;
    }

    /// <summary>One line of compact JSON (an object of strings, keys in order).</summary>
    /// <returns>The JSON.</returns>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        // Relaxed escaping keeps a version such as 0.1.0+abc readable; the line is data in a file, never HTML.
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in _values)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Parses <see cref="ToJson"/>'s output.</summary>
    /// <param name="json">The JSON object of strings.</param>
    /// <param name="source">File name for messages.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="InvalidDataException">Not a JSON object of string values, or a key given twice.</exception>
    public static StudySettings FromJson(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"'{source}': the settings line is not a JSON object.");
            }

            var pairs = new List<KeyValuePair<string, string>>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    throw new InvalidDataException($"'{source}': setting '{CliText.Clip(property.Name)}' is not a string.");
                }

                pairs.Add(new(property.Name, property.Value.GetString()!));
            }

            return new StudySettings(pairs);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            // InvalidOperationException: a key or value that is valid JSON but no .NET string (an escaped lone surrogate).
            throw new InvalidDataException($"'{source}': the settings line is malformed ({CliText.Clip(CliText.Describe(ex), 160)}).", ex);
        }
    }

    /// <inheritdoc/>
    public bool Equals(StudySettings? other) => other is not null && FirstDifference(other) is null;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as StudySettings);

    /// <inheritdoc/>
    public override int GetHashCode() => string.Join(";", _values.Where(v => !v.Key.StartsWith(InformationalPrefix, StringComparison.Ordinal))).GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string ToString() => ToJson();
}
