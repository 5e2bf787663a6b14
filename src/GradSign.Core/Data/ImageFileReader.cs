namespace GradSign.Data;

/// <summary>Reads binary image files (CIFAR-10, CIFAR-100, the ImageNet16-120 stand-in) into <see cref="ImageSet"/>s.</summary>
public static class ImageFileReader
{
    /// <summary>Reads a whole file. Any whole number of records is accepted (the shared data keeps only the first records of each file).</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">Its record layout.</param>
    /// <returns>The images, in file order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, its length is not a whole number of records, or a label byte is out
    /// of range; the message names the file and the byte offset.</exception>
    public static ImageSet Read(string path, ImageFileFormat format)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(format);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Image file '{path}' does not exist.", path);
        }

        return Parse(File.ReadAllBytes(path), format, path);
    }

    /// <summary>Parses file contents already in memory.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="format">Record layout.</param>
    /// <param name="name">File name for messages and <see cref="ImageSet.Name"/>.</param>
    /// <returns>The images.</returns>
    /// <exception cref="InvalidDataException">Empty, truncated, or a label out of range; the message names <paramref name="name"/> and the byte offset.</exception>
    public static ImageSet Parse(ReadOnlySpan<byte> bytes, ImageFileFormat format, string name)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(name);
        CheckLength(bytes.Length, format, name);
        var count = bytes.Length / format.RecordSize;
        var pixels = new byte[checked((long)count * format.PixelBytes)];
        var labels = new int[count];
        ParseInto(bytes, format, name, pixels, labels);
        return new ImageSet(name, pixels, labels, format.ClassCount, format.Channels, format.Height, format.Width);
    }

    /// <summary>Throws unless <paramref name="length"/> bytes are a whole, nonzero number of records.</summary>
    /// <exception cref="InvalidDataException">Empty or truncated; the message names <paramref name="name"/> and the byte offset.</exception>
    internal static void CheckLength(long length, ImageFileFormat format, string name)
    {
        var recordSize = format.RecordSize;
        if (length == 0)
        {
            throw new InvalidDataException($"{format.Name} file '{name}' is empty (byte offset 0): expected records of {recordSize} bytes.");
        }

        if (length % recordSize != 0)
        {
            var offset = length - (length % recordSize);
            throw new InvalidDataException(
                $"{format.Name} file '{name}' is truncated: its length {length} is not a multiple of the record size {recordSize}; the incomplete record starts at byte offset {offset}.");
        }
    }

    /// <summary>Checks and copies the records of <paramref name="bytes"/> (a whole, validated number of them, see
    /// <see cref="CheckLength"/>) into <paramref name="pixels"/> and <paramref name="labels"/>, which have room for exactly them.</summary>
    internal static void ParseInto(ReadOnlySpan<byte> bytes, ImageFileFormat format, string name, Span<byte> pixels, Span<int> labels)
    {
        var recordSize = format.RecordSize;
        var count = bytes.Length / recordSize;
        var pixelBytes = format.PixelBytes;
        for (var r = 0; r < count; r++)
        {
            var record = bytes.Slice(r * recordSize, recordSize);
            for (var b = 0; b < format.LabelBytes; b++)
            {
                var limit = b == format.LabelByteIndex ? format.ClassCount : format.AuxiliaryLabelLimits?[b] ?? int.MaxValue;
                if (record[b] >= limit)
                {
                    throw new InvalidDataException(
                        $"{format.Name} file '{name}': record {r} has label byte {b} = {record[b]}, outside [0, {limit}), at byte offset {((long)r * recordSize) + b}.");
                }
            }

            labels[r] = record[format.LabelByteIndex];
            record[format.LabelBytes..].CopyTo(pixels.Slice(r * pixelBytes, pixelBytes));
        }
    }
}
