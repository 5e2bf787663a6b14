namespace GradSign.Backends.Managed.Kernels;

/// <summary>Shape of one 2-D pooling on a single H×W plane (square window, equal stride and padding).</summary>
internal readonly record struct PoolGeometry(int Height, int Width, int Kernel, int Stride, int Padding, bool CountIncludePad)
{
    public int OutHeight => ((Height + (2 * Padding) - Kernel) / Stride) + 1;

    public int OutWidth => ((Width + (2 * Padding) - Kernel) / Stride) + 1;

    /// <summary>Elements of one input plane.</summary>
    public int InputPlane => Height * Width;

    /// <summary>Elements of one output plane.</summary>
    public int OutputPlane => OutHeight * OutWidth;

    /// <summary>
    /// The window of output row <paramref name="o"/> clipped to the image, as PyTorch computes it: start = o·s − p,
    /// end = min(start + k, size + p) (its length is the count-include-pad divisor), then clipped to [0, size).
    /// </summary>
    public (int Start, int End, int PaddedLength) Window(int o, int size)
    {
        var start = (o * Stride) - Padding;
        var end = Math.Min(start + Kernel, size + Padding);
        var padded = end - start;
        return (Math.Max(start, 0), Math.Min(end, size), padded);
    }
}
