namespace GradSign.Backends.Managed.Kernels;

/// <summary>Shape of one 2-D convolution (square kernel, equal stride and zero padding in both directions), per sample.</summary>
internal readonly record struct ConvGeometry(int InChannels, int Height, int Width, int OutChannels, int Kernel, int Stride, int Padding)
{
    public int OutHeight => ((Height + (2 * Padding) - Kernel) / Stride) + 1;

    public int OutWidth => ((Width + (2 * Padding) - Kernel) / Stride) + 1;

    /// <summary>Elements of one input sample: Cin·H·W.</summary>
    public int InputSize => InChannels * Height * Width;

    /// <summary>Elements of one output sample: Cout·OH·OW.</summary>
    public int OutputSize => OutChannels * OutHeight * OutWidth;

    /// <summary>Elements of the weight: Cout·Cin·K·K.</summary>
    public int WeightSize => OutChannels * InChannels * Kernel * Kernel;
}
