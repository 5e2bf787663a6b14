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

    /// <summary>Throws when a dimension is not positive, the padding is negative or the kernel does not fit the padded input.</summary>
    public void Validate()
    {
        if (InChannels < 1 || OutChannels < 1 || Height < 1 || Width < 1 || Kernel < 1 || Stride < 1 || Padding < 0)
        {
            throw new ArgumentException($"Invalid convolution geometry {this}: channels, sizes, kernel and stride must be positive and padding non-negative.");
        }

        if (Height + (2 * Padding) < Kernel || Width + (2 * Padding) < Kernel)
        {
            throw new ArgumentException($"Invalid convolution geometry {this}: kernel {Kernel} exceeds the padded input {Height + (2 * Padding)}×{Width + (2 * Padding)}.");
        }
    }

    /// <summary>Throws unless <paramref name="length"/> is at least <paramref name="required"/>.</summary>
    public static void RequireLength(int length, long required, string name)
    {
        if (length < required)
        {
            throw new ArgumentException($"{name} has {length} elements but the geometry needs {required}.", name);
        }
    }
}
