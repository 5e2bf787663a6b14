namespace GradSign.Networks;

/// <summary>
/// Size and compute of a <see cref="NetworkSpec"/>: parameter elements and multiply-accumulates per sample.
/// </summary>
/// <remarks>
/// <para>Convention (the one of thop/ptflops-style "FLOPs" used by the NAS literature): <see cref="MultiplyAccumulates"/>
/// counts one per weight multiply of conv and linear layers for one sample, i.e. Σ_conv C_out·H_out·W_out·C_in·k² +
/// Σ_linear in·out. Biases, BatchNorm, pooling, additions, zeroing and ReLUs are not counted. It equals the
/// <c>flops</c> proxy of <c>GradSign.Proxies.FlopsProxy</c>.</para>
/// <para>NAS-Bench-Suite-Zero's <c>zc_*_flops</c> column is in millions and <c>zc_*_params</c> in millions; see
/// <c>docs/networks.md</c> for which of these conventions its values match.</para>
/// </remarks>
public static class NetworkCost
{
    /// <summary>Parameter elements of every tensor the network uses (weights, biases, BatchNorm γ/β).</summary>
    /// <param name="spec">The network.</param>
    /// <returns>The count.</returns>
    public static long Parameters(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.ParameterCount;
    }

    /// <summary>Multiply-accumulates of conv and linear layers for one sample (see the remarks for the convention).</summary>
    /// <param name="spec">The network.</param>
    /// <returns>The count.</returns>
    public static long MultiplyAccumulates(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        long total = 0;
        foreach (var layer in spec.Layers)
        {
            total += layer switch
            {
                Conv2dLayer c => checked((long)c.OutputShape[0] * c.OutputShape[1] * c.OutputShape[2] * c.InChannels * c.Kernel * c.Kernel),
                LinearLayer l => checked((long)l.InFeatures * l.OutFeatures),
                _ => 0,
            };
        }

        return total;
    }
}
