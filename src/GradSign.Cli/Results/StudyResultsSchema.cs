namespace GradSign.Cli.Results;

/// <summary>
/// Column layout of a correlation-study results file: <c>index,arch,&lt;proxy…&gt;,&lt;target&gt;,seconds_&lt;proxy…&gt;</c> —
/// one row per scored cell, proxy scores, the benchmark's target accuracy, and each proxy's wall time in seconds.
/// </summary>
/// <threadsafety>Immutable.</threadsafety>
public sealed class StudyResultsSchema : IEquatable<StudyResultsSchema>
{
    /// <summary>Prefix of the per-proxy timing columns.</summary>
    public const string SecondsPrefix = "seconds_";

    /// <summary>Creates a schema.</summary>
    /// <param name="proxies">Proxy ids, in column order (non-empty, distinct).</param>
    /// <param name="target">Name of the target accuracy column (e.g. <c>cifar10valid_split_test</c>).</param>
    /// <exception cref="ArgumentException">No proxies, a duplicate, or a name that collides with another column.</exception>
    public StudyResultsSchema(IReadOnlyList<string> proxies, string target)
    {
        ArgumentNullException.ThrowIfNull(proxies);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        if (proxies.Count == 0)
        {
            throw new ArgumentException("A results file needs at least one proxy column.", nameof(proxies));
        }

        Proxies = [.. proxies];
        Target = target;
        Header = ["index", "arch", .. Proxies, Target, .. Proxies.Select(p => SecondsPrefix + p)];
        var duplicate = Header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null || Proxies.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"Column '{CliText.Clip(duplicate?.Key)}' would occur twice (proxies: {CliText.Clip(string.Join(",", Proxies))}; target: {CliText.Clip(Target)}).", nameof(proxies));
        }
    }

    /// <summary>Proxy ids in column order.</summary>
    public IReadOnlyList<string> Proxies { get; }

    /// <summary>Target accuracy column.</summary>
    public string Target { get; }

    /// <summary>Every column name, in order.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Rebuilds a schema from a header row.</summary>
    /// <param name="header">The header's fields.</param>
    /// <param name="source">File name for messages.</param>
    /// <returns>The schema.</returns>
    /// <exception cref="InvalidDataException">The header is not of this layout.</exception>
    public static StudyResultsSchema FromHeader(IReadOnlyList<string> header, string source)
    {
        ArgumentNullException.ThrowIfNull(header);
        // index, arch, P proxies, target, P seconds columns → 2P + 3 fields.
        var count = header.Count;
        if (count < 5 || (count - 3) % 2 != 0 || header[0] != "index" || header[1] != "arch")
        {
            throw new InvalidDataException($"'{source}' is not a study results file: header '{CliText.Clip(string.Join(",", header), 120)}'.");
        }

        var p = (count - 3) / 2;
        StudyResultsSchema schema;
        try
        {
            schema = new StudyResultsSchema([.. header.Skip(2).Take(p)], header[2 + p]);
        }
        catch (ArgumentException ex)
        {
            // A column named twice (or a blank name) in a file is bad data, not a bad argument.
            throw new InvalidDataException($"'{source}' is not a study results file: {CliText.Describe(ex)}", ex);
        }

        if (!schema.Header.SequenceEqual(header, StringComparer.Ordinal))
        {
            throw new InvalidDataException($"'{source}' is not a study results file: header '{CliText.Clip(string.Join(",", header), 120)}', expected '{CliText.Clip(string.Join(",", schema.Header), 120)}'.");
        }

        return schema;
    }

    /// <inheritdoc/>
    public bool Equals(StudyResultsSchema? other) => other is not null && Header.SequenceEqual(other.Header, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as StudyResultsSchema);

    /// <inheritdoc/>
    public override int GetHashCode() => string.Join(",", Header).GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string ToString() => string.Join(",", Header);
}

/// <summary>One scored cell of a study.</summary>
/// <param name="Index">Benchmark index.</param>
/// <param name="Arch">Architecture string.</param>
/// <param name="Scores">One score per proxy, in schema order (NaN when a proxy failed).</param>
/// <param name="Target">The target accuracy (%).</param>
/// <param name="Seconds">Each proxy's wall time in seconds, in schema order.</param>
public sealed record StudyRow(int Index, string Arch, IReadOnlyList<double> Scores, double Target, IReadOnlyList<double> Seconds)
{
    /// <summary>Whether two rows hold the same result (index, arch, scores and target bit for bit; timings ignored).</summary>
    /// <param name="other">The other row.</param>
    /// <returns>True when they agree.</returns>
    public bool SameResult(StudyRow other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Index == other.Index
            && string.Equals(Arch, other.Arch, StringComparison.Ordinal)
            && Scores.Count == other.Scores.Count
            && Scores.Zip(other.Scores).All(p => p.First.Equals(p.Second))
            && Target.Equals(other.Target);
    }
}
