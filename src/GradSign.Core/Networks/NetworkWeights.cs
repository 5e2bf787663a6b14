namespace GradSign.Networks;

/// <summary>
/// The values of every parameter of a <see cref="NetworkSpec"/>, float32, one array per parameter in
/// <see cref="NetworkSpec.Parameters"/> order. Proxies never modify the weights they are given.
/// </summary>
/// <threadsafety>The arrays are mutable; do not modify them while a backend uses them.</threadsafety>
public sealed class NetworkWeights
{
    /// <summary>The <see cref="ArchitectureKey.StreamSeed"/> stream of initial weights (the batch is stream 1).</summary>
    internal const ulong WeightStream = 0;

    private readonly float[][] _values;

    /// <summary>Wraps one array per parameter, checking their lengths against the spec.</summary>
    /// <param name="spec">The network.</param>
    /// <param name="values">One array per parameter, in spec order.</param>
    /// <exception cref="ArgumentException">The count or a length does not match, naming the parameter.</exception>
    public NetworkWeights(NetworkSpec spec, IReadOnlyList<float[]> values)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != spec.Parameters.Count)
        {
            throw new ArgumentException($"Expected {spec.Parameters.Count} parameter arrays, got {values.Count}.", nameof(values));
        }

        for (var i = 0; i < values.Count; i++)
        {
            var p = spec.Parameters[i];
            if (values[i] is null || values[i].Length != p.ElementCount)
            {
                throw new ArgumentException($"Parameter '{p.Name}' needs {p.ElementCount} values, got {values[i]?.Length ?? 0}.", nameof(values));
            }
        }

        Spec = spec;
        _values = [.. values];
    }

    /// <summary>The network these weights belong to.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>The values of parameter <paramref name="index"/>, row-major.</summary>
    /// <param name="index">Parameter index.</param>
    /// <returns>The live array.</returns>
    public float[] this[int index] => _values[index];

    /// <summary>The values of the named parameter.</summary>
    /// <param name="name">Parameter name.</param>
    /// <returns>The live array.</returns>
    /// <exception cref="KeyNotFoundException">No such parameter.</exception>
    public float[] this[string name] => _values[(Spec.FindParameter(name) ?? throw new KeyNotFoundException($"No parameter named '{name}'.")).Index];

    /// <summary>
    /// Draws every parameter from its <see cref="ParameterSpec.Init"/>, in spec order, from one generator seeded with
    /// <paramref name="seed"/>: the same spec and seed always give the same weights, on every machine.
    /// </summary>
    /// <param name="spec">The network.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>New weights.</returns>
    public static NetworkWeights Initialize(NetworkSpec spec, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var rng = new Internal.SplitMix64(seed);
        var values = new float[spec.Parameters.Count][];
        foreach (var p in spec.Parameters)
        {
            var v = values[p.Index] = new float[p.ElementCount];
            for (var i = 0; i < v.Length; i++)
            {
                v[i] = p.Init.Distribution switch
                {
                    InitDistribution.Uniform => (float)(((2 * rng.NextDouble()) - 1) * p.Init.Scale),
                    InitDistribution.Normal => (float)(rng.NextGaussian() * p.Init.Scale),
                    _ => (float)p.Init.Scale,
                };
            }
        }

        return new NetworkWeights(spec, values);
    }

    /// <summary>
    /// The initial weights of one architecture in a scoring run: <see cref="Initialize(NetworkSpec, ulong)"/> with a seed
    /// derived from the run's <paramref name="seed"/> and the architecture's <paramref name="key"/> only, so the command
    /// line, a correlation study and a program that score the same architecture with the same seed use the same weights.
    /// </summary>
    /// <param name="spec">The network.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="key">The architecture's key.</param>
    /// <returns>New weights.</returns>
    public static NetworkWeights Initialize(NetworkSpec spec, ulong seed, ArchitectureKey key)
        => Initialize(spec, key.StreamSeed(seed, WeightStream));

    /// <summary>A deep copy.</summary>
    /// <returns>New arrays with the same values.</returns>
    public NetworkWeights Clone() => new(Spec, [.. _values.Select(v => (float[])v.Clone())]);
}
