namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// How a convolution sums the Cin·K·K products of each output element. Every order is a sequence of depth blocks:
/// each block is one fused-multiply-add chain from zero over its taps, and the block sums are added to the output in
/// order, starting from the bias (or from zero). The default is one chain over the taps in (c, i, j) order.
/// </summary>
/// <remarks>
/// Orders differ in the last bits of a float32 result, and next to a max-pool near-tie or a ReLU threshold those bits
/// decide where a gradient is routed; <see cref="ReferenceRounding"/> picks the order of the library that computed
/// the reference values. The orders cost the same: they only permute the packed weight and the tap table and add one
/// pass over the output per extra block.
/// </remarks>
/// <param name="ChannelBlock">
/// &gt; 0: oneDNN's direct convolution. Input channels are taken in blocks of this size, each block's taps in (i, j, c)
/// order (for 1×1 kernels that is the plain channel order), and each channel block is one depth block.
/// </param>
internal readonly record struct ConvSummation(int ChannelBlock = 0)
{
    /// <summary>Whether the taps are taken in channel-block order (which differs from (c, i, j) only above 1×1).</summary>
    public bool ReordersTaps(int kernel) => ChannelBlock > 0 && kernel > 1;

    /// <summary>
    /// The exclusive ends of the depth blocks over the <c>Cin·K·K</c> taps (in the order this summation takes them), or
    /// null when the whole depth is one chain.
    /// </summary>
    public int[]? BlockEnds(int inChannels, int kernel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ChannelBlock);
        var taps = kernel * kernel;
        var depth = inChannels * taps;
        if (ChannelBlock == 0 || ChannelBlock >= inChannels)
        {
            return null;
        }

        var ends = new List<int>();
        for (var c = ChannelBlock; c < inChannels; c += ChannelBlock)
        {
            ends.Add(c * taps);
        }

        ends.Add(depth);
        return [.. ends];
    }
}
