namespace GradSign.Data;

/// <summary>
/// Layout of a binary image file made of fixed-size records: label byte(s) followed by planar RGB pixels.
/// </summary>
/// <param name="Name">Format name for messages.</param>
/// <param name="LabelBytes">Label bytes at the start of each record.</param>
/// <param name="LabelByteIndex">Which of the label bytes is the class label (the others are validated against <see cref="AuxiliaryLabelLimits"/>).</param>
/// <param name="ClassCount">Labels must lie in [0, ClassCount).</param>
/// <param name="Height">Image height.</param>
/// <param name="Width">Image width.</param>
/// <param name="AuxiliaryLabelLimits">Exclusive upper limit of each label byte (length <paramref name="LabelBytes"/>); null = only the class label is checked.</param>
public sealed record ImageFileFormat(string Name, int LabelBytes, int LabelByteIndex, int ClassCount, int Height, int Width, IReadOnlyList<int>? AuxiliaryLabelLimits = null)
{
    /// <summary>Colour channels per image (always 3).</summary>
    public int Channels => 3;

    /// <summary>Pixel bytes per record.</summary>
    public int PixelBytes => Channels * Height * Width;

    /// <summary>Bytes per record (labels + pixels).</summary>
    public int RecordSize => LabelBytes + PixelBytes;

    /// <summary>CIFAR-10 binary: 1 label byte (0..9) + 3,072 pixel bytes (1,024 R, 1,024 G, 1,024 B; 32×32 row-major).</summary>
    public static ImageFileFormat Cifar10 { get; } = new("CIFAR-10", 1, 0, 10, 32, 32);

    /// <summary>CIFAR-100 binary: coarse label byte (0..19), fine label byte (0..99) + 3,072 pixel bytes; the fine label is the class.</summary>
    public static ImageFileFormat Cifar100 { get; } = new("CIFAR-100", 2, 1, 100, 32, 32, [20, 100]);

    /// <summary>
    /// The ImageNet16-120 <b>stand-in</b> files: 0-based label byte (0..119) + 768 planar RGB bytes (16×16).
    /// (The original ImageNet16-120 files are pickles with 1-based labels; they are not available here.)
    /// </summary>
    public static ImageFileFormat ImageNet16StandIn { get; } = new("ImageNet16-120 stand-in", 1, 0, 120, 16, 16);

    /// <summary>The record format of a dataset's files.</summary>
    /// <param name="kind">The dataset.</param>
    /// <returns>The format.</returns>
    public static ImageFileFormat For(DatasetKind kind) => kind switch
    {
        DatasetKind.Cifar10 => Cifar10,
        DatasetKind.Cifar100 => Cifar100,
        DatasetKind.ImageNet16 => ImageNet16StandIn,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown dataset."),
    };
}
