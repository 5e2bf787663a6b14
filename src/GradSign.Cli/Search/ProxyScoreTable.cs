using GradSign.Cli.Results;
using GradSign.Proxies;
using GradSign.SearchSpaces.NasBench201;

namespace GradSign.Cli.Search;

/// <summary>
/// Precomputed proxy scores of NAS-Bench-201 cells by architecture string, from a <c>gradsign correlate</c> results file
/// or from the published NAS-Bench-Suite-Zero columns of <c>nb201.csv.gz</c>. Cells without a score are absent; a search
/// that uses the table is restricted to <see cref="Scores"/>' keys.
/// </summary>
/// <threadsafety>Immutable.</threadsafety>
public sealed class ProxyScoreTable
{
    /// <summary>Published-score column suffix of each proxy id (after <c>zc_c10_</c>); GradSign has none.</summary>
    private static readonly Dictionary<string, string> PublishedSuffix = new(StringComparer.Ordinal)
    {
        [ProxyIds.SynFlow] = "synflow",
        [ProxyIds.Snip] = "snip",
        [ProxyIds.Grasp] = "grasp",
        [ProxyIds.GradNorm] = "grad_norm",
        [ProxyIds.Fisher] = "fisher",
        [ProxyIds.JacobCov] = "jacov",
        [ProxyIds.Naswot] = "nwot",
        [ProxyIds.Params] = "params",
        [ProxyIds.Flops] = "flops",
    };

    private ProxyScoreTable(string proxy, string source, Dictionary<string, ProxyScore> scores)
    {
        Proxy = proxy;
        Source = source;
        Scores = scores;
    }

    /// <summary>The proxy id.</summary>
    public string Proxy { get; }

    /// <summary>Where the scores come from (file path, or the published column name).</summary>
    public string Source { get; }

    /// <summary>Score and recorded seconds by architecture string.</summary>
    public IReadOnlyDictionary<string, ProxyScore> Scores { get; }

    /// <summary>Proxy ids that have a published CIFAR-10 column.</summary>
    public static IEnumerable<string> PublishedProxies => PublishedSuffix.Keys;

    /// <summary>
    /// Reads one proxy's column of a <c>gradsign correlate</c> results file (<c>index,arch,&lt;proxy…&gt;,&lt;target&gt;,seconds_&lt;proxy…&gt;</c>;
    /// see <see cref="StudyResultsSchema"/>). A failed score (NaN) is kept and ranks below every number.
    /// </summary>
    /// <param name="path">The results file.</param>
    /// <param name="proxy">The proxy id, one of the file's proxy columns.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentException">The file has no such proxy column (its proxies named).</exception>
    /// <exception cref="InvalidDataException">A malformed file, or one architecture twice with different scores.</exception>
    public static ProxyScoreTable FromStudyResults(string path, string proxy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(proxy);
        var results = StudyResultsFile.Read(path);
        var column = -1;
        for (var i = 0; i < results.Schema.Proxies.Count; i++)
        {
            if (string.Equals(results.Schema.Proxies[i], proxy, StringComparison.Ordinal))
            {
                column = i;
            }
        }

        if (column < 0)
        {
            throw new ArgumentException($"Scores file '{path}' has no '{proxy}' column (proxies: {string.Join(", ", results.Schema.Proxies)}).", nameof(proxy));
        }

        var scores = new Dictionary<string, ProxyScore>(results.Rows.Count, StringComparer.Ordinal);
        foreach (var row in results.Rows)
        {
            var score = new ProxyScore(proxy, row.Scores[column]) { Elapsed = TimeSpan.FromSeconds(row.Seconds[column]) };
            if (scores.TryGetValue(row.Arch, out var seen) && !seen.Value.Equals(score.Value))
            {
                throw new InvalidDataException($"Scores file '{path}' scores '{row.Arch}' twice with different values ({seen.Value} and {score.Value}).");
            }

            scores[row.Arch] = score;
        }

        return new ProxyScoreTable(proxy, path, scores);
    }

    /// <summary>
    /// The published NAS-Bench-Suite-Zero CIFAR-10 scores (<c>zc_c10_&lt;name&gt;</c>) of a proxy, for the cells that have one
    /// (the 9,445 without dead edges). No compute time is recorded for them (seconds 0).
    /// </summary>
    /// <param name="table">The 200-epoch table <c>nb201.csv.gz</c>.</param>
    /// <param name="proxy">A proxy id of <see cref="PublishedProxies"/>.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentException">No published column for the proxy (e.g. <c>gradsign</c>), or the table lacks it.</exception>
    public static ProxyScoreTable FromPublished(NasBench201Table table, string proxy)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(proxy);
        if (!PublishedSuffix.TryGetValue(proxy, out var suffix))
        {
            throw new ArgumentException($"No published scores for proxy '{proxy}'; published: {string.Join(", ", PublishedProxies)}. Use a 'gradsign correlate' results file instead.", nameof(proxy));
        }

        var column = "zc_c10_" + suffix;
        if (!table.HasColumn(column))
        {
            throw new ArgumentException($"Table '{table.Source}' has no column '{column}'.", nameof(table));
        }

        var scores = new Dictionary<string, ProxyScore>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            var value = row[column];
            if (!double.IsNaN(value))
            {
                scores[row.Arch] = new ProxyScore(proxy, value);
            }
        }

        return new ProxyScoreTable(proxy, column, scores);
    }
}
