using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>
/// The tensors the zero-cost references score: every conv and linear weight, in spec order
/// (zero-cost-nas <c>get_layer_metric_array</c>, <c>p_utils.py:56-65</c>). Biases and BatchNorm parameters never count.
/// </summary>
internal static class ScoredTensors
{
    /// <summary>Indices of the scored parameters, in spec order.</summary>
    public static int[] Indices(NetworkSpec spec) => [.. spec.Parameters.Where(p => p.IsScored).Select(p => p.Index)];

    /// <summary>Σ over scored tensors of a per-tensor value, returning the total and the per-tensor list.</summary>
    public static ProxyScore Sum(string proxyId, NetworkSpec spec, Func<int, double> perTensor)
    {
        var indices = Indices(spec);
        var perLayer = new double[indices.Length];
        var total = 0.0;
        for (var i = 0; i < indices.Length; i++)
        {
            perLayer[i] = perTensor(indices[i]);
            total += perLayer[i];
        }

        return new ProxyScore(proxyId, total, perLayer);
    }
}
