namespace GradSign.Networks;

/// <summary>
/// A backend-neutral description of a feed-forward network: layers in topological order (layer 0 is the input,
/// the last layer produces the logits) and named parameter tensors in a stable order. Build one with
/// <see cref="NetworkBuilder"/> or a search space's factory; compile it with an <c>ITensorBackend</c>.
/// </summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class NetworkSpec
{
    internal NetworkSpec(IReadOnlyList<LayerSpec> layers, IReadOnlyList<ParameterSpec> parameters, long unexecutedScoredElements = 0)
    {
        Layers = layers;
        Parameters = parameters;
        UnexecutedScoredElements = unexecutedScoredElements;
    }

    /// <summary>Layers in topological order; <c>Layers[0]</c> is the <see cref="InputLayer"/>, the last layer outputs the logits.</summary>
    public IReadOnlyList<LayerSpec> Layers { get; }

    /// <summary>Parameter tensors in their stable order (for NAS-Bench-201, the reference's state-dict order).</summary>
    public IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>Per-sample input shape [C, H, W].</summary>
    public IReadOnlyList<int> InputShape => Layers[0].OutputShape;

    /// <summary>Number of logits per sample.</summary>
    public int NumClasses => Layers[^1].OutputShape[0];

    /// <summary>Total number of parameter elements.</summary>
    public long ParameterCount => Parameters.Sum(p => (long)p.ElementCount);

    /// <summary>
    /// Conv and linear weight elements that the network's reference implementation instantiates but never executes, and
    /// that this spec therefore leaves out: zero-cost-nas's <c>NAS201Model</c> builds every candidate op on every cell
    /// edge and runs only the selected ones (NAS-Bench-201 <see cref="SearchSpaces.NasBench201.NasBench201Variant.ZeroCostNas"/>).
    /// Their gradients are always zero, so no proxy's sum changes, but a mean over the reference's weights counts them
    /// (GradSign's <see cref="Proxies.GradSignAggregation.Mean"/>). 0 for every other network.
    /// </summary>
    public long UnexecutedScoredElements { get; }

    /// <summary>Finds a parameter by name.</summary>
    /// <param name="name">The parameter's name.</param>
    /// <returns>The parameter, or null.</returns>
    public ParameterSpec? FindParameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);

    /// <summary>This spec with <see cref="UnexecutedScoredElements"/> set.</summary>
    /// <param name="elements">The count (≥ 0).</param>
    /// <returns>A spec sharing this one's layers and parameters.</returns>
    internal NetworkSpec WithUnexecutedScoredElements(long elements)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elements);
        return new NetworkSpec(Layers, Parameters, elements);
    }
}
