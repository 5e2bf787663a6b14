using GradSign.Backends.Execution;
using GradSign.Backends;
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
        for (var i = 0; i < indices.Length; i++)
        {
            perLayer[i] = perTensor(indices[i]);
        }

        return Total(proxyId, perLayer);
    }

    /// <summary>
    /// One backward pass of <paramref name="objective"/> on <paramref name="network"/>, each scored tensor reduced to
    /// <c>reduce(θ, ∂objective/∂θ)</c> as its gradient streams past (no gradient arrays are kept, and the unscored
    /// parameters' gradients are not computed); the score is their sum.
    /// </summary>
    public static ProxyScore SumOverGradients(string proxyId, NetworkWeights weights, INetworkExecutor network, Batch batch, Objective objective, TensorReduction reduce)
    {
        var indices = Indices(weights.Spec);
        var position = new int[weights.Spec.Parameters.Count];
        Array.Fill(position, -1);
        for (var i = 0; i < indices.Length; i++)
        {
            position[indices[i]] = i;
        }

        var perLayer = new double[indices.Length];
        network.Backward(batch, objective, (p, gradient) => perLayer[position[p]] = reduce(weights[p], gradient), indices);
        return Total(proxyId, perLayer);
    }

    /// <summary>
    /// <see cref="SumOverGradients(string, NetworkWeights, INetworkExecutor, Batch, Objective, TensorReduction)"/> for several
    /// reductions of the same gradients: one pass, every tensor handed to each reduction in turn.
    /// </summary>
    public static ProxyScore[] SumOverGradients(string[] proxyIds, NetworkWeights weights, INetworkExecutor network, Batch batch, Objective objective, TensorReduction[] reductions)
    {
        var indices = Indices(weights.Spec);
        var position = new int[weights.Spec.Parameters.Count];
        Array.Fill(position, -1);
        for (var i = 0; i < indices.Length; i++)
        {
            position[indices[i]] = i;
        }

        var perLayer = reductions.Select(_ => new double[indices.Length]).ToArray();
        network.Backward(batch, objective, (p, gradient) =>
        {
            for (var r = 0; r < reductions.Length; r++)
            {
                perLayer[r][position[p]] = reductions[r](weights[p], gradient);
            }
        }, indices);
        return [.. perLayer.Select((values, r) => Total(proxyIds[r], values))];
    }

    /// <summary>The score: the per-tensor values summed in spec order.</summary>
    private static ProxyScore Total(string proxyId, double[] perLayer)
    {
        var total = 0.0;
        foreach (var v in perLayer)
        {
            total += v;
        }

        return new ProxyScore(proxyId, total, perLayer);
    }
}

/// <summary>Reduces one tensor's values and gradient to a number.</summary>
/// <param name="theta">The tensor's values.</param>
/// <param name="gradient">Its gradient.</param>
internal delegate double TensorReduction(ReadOnlySpan<float> theta, ReadOnlySpan<double> gradient);
