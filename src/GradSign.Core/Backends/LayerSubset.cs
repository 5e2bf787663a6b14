namespace GradSign.Backends;

/// <summary>Checks the layer subsets that <see cref="Execution.INetworkExecutor.LayerOutputs"/> accepts.</summary>
internal static class LayerSubset
{
    /// <summary>The checked <paramref name="layers"/> in increasing order; throws unless they are distinct layer indices of <paramref name="spec"/>.</summary>
    public static int[] Sorted(Networks.NetworkSpec spec, IReadOnlyList<int> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var sorted = new int[layers.Count];
        for (var i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            if ((uint)l >= (uint)spec.Layers.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(layers), l, $"layers[{i}] = {l} is not a layer index of the network (0..{spec.Layers.Count - 1}).");
            }

            sorted[i] = l;
        }

        Array.Sort(sorted);
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i] == sorted[i - 1])
            {
                throw new ArgumentException($"Layer {sorted[i]} is requested twice.", nameof(layers));
            }
        }

        return sorted;
    }
}
