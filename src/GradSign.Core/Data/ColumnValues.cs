using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace GradSign.Data;

/// <summary>
/// The numeric cells of one table row by column name (accuracies, published <c>zc_*</c> scores, …); an empty cell is
/// <see cref="double.NaN"/>. Rows of one table share the column map, so a row costs one array.
/// </summary>
/// <threadsafety>Immutable.</threadsafety>
public sealed class ColumnValues : IReadOnlyDictionary<string, double>
{
    private readonly IReadOnlyDictionary<string, int> _columns;
    private readonly IReadOnlyList<string> _names;
    private readonly double[] _values;

    internal ColumnValues(IReadOnlyDictionary<string, int> columns, IReadOnlyList<string> names, double[] values)
    {
        _columns = columns;
        _names = names;
        _values = values;
    }

    /// <summary>The value of a column.</summary>
    /// <param name="key">Column name (case-sensitive, as in the header).</param>
    /// <exception cref="KeyNotFoundException">No such numeric column (the message names it).</exception>
    public double this[string key] => TryGetValue(key, out var v)
        ? v
        : throw new KeyNotFoundException($"No numeric column '{key}'; columns: {string.Join(", ", _names)}.");

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _names;

    /// <inheritdoc/>
    public IEnumerable<double> Values => _values;

    /// <inheritdoc/>
    public int Count => _values.Length;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _columns.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out double value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_columns.TryGetValue(key, out var i))
        {
            value = _values[i];
            return true;
        }

        value = double.NaN;
        return false;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, double>> GetEnumerator()
    {
        for (var i = 0; i < _values.Length; i++)
        {
            yield return new KeyValuePair<string, double>(_names[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
