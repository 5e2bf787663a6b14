namespace GradSign.Data;

/// <summary>
/// A labelled set of 8-bit RGB images stored planar (per image: all red, then green, then blue values, each
/// plane row-major), as in the CIFAR and ImageNet16 binary files.
/// </summary>
/// <threadsafety>Immutable after construction as long as callers do not modify the arrays they passed in.</threadsafety>
public sealed class ImageSet
{
    /// <summary>Creates an image set, validating sizes and labels.</summary>
    /// <param name="name">A name for messages (usually the file or dataset it came from).</param>
    /// <param name="pixels">Pixels, length count·channels·height·width, image after image, each CHW.</param>
    /// <param name="labels">Class labels in [0, <paramref name="classCount"/>), one per image.</param>
    /// <param name="classCount">Number of classes of the label space.</param>
    /// <param name="channels">Channels per image (3 for every dataset here).</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    /// <exception cref="ArgumentException">A length does not match, or a label is out of range (index and value named).</exception>
    public ImageSet(string name, byte[] pixels, int[] labels, int classCount, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        var imageSize = checked(channels * height * width);
        var expected = checked((long)labels.Length * imageSize);
        if (pixels.LongLength != expected)
        {
            throw new ArgumentException($"pixels has {pixels.LongLength} values; {labels.Length} images of {channels}x{height}x{width} need {expected}.", nameof(pixels));
        }

        for (var i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException($"labels[{i}] = {labels[i]} is outside [0, {classCount}).", nameof(labels));
            }
        }

        Name = name;
        Pixels = pixels;
        Labels = labels;
        ClassCount = classCount;
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>Name for messages.</summary>
    public string Name { get; }

    /// <summary>Pixels, image after image, each channel-planar (CHW).</summary>
    public byte[] Pixels { get; }

    /// <summary>Labels, one per image.</summary>
    public int[] Labels { get; }

    /// <summary>Number of classes of the label space (not necessarily all present).</summary>
    public int ClassCount { get; }

    /// <summary>Channels per image.</summary>
    public int Channels { get; }

    /// <summary>Image height.</summary>
    public int Height { get; }

    /// <summary>Image width.</summary>
    public int Width { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Bytes per image (channels·height·width).</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>The pixels of one image (CHW).</summary>
    /// <param name="index">Image index.</param>
    /// <returns>A view of <see cref="Pixels"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, <see cref="Count"/>).</exception>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * ImageSize, ImageSize);
    }

    /// <summary>Concatenates image sets of the same geometry and label space, in order.</summary>
    /// <param name="name">Name of the result.</param>
    /// <param name="parts">The sets to join (at least one).</param>
    /// <returns>A new set.</returns>
    /// <exception cref="ArgumentException">No parts, or parts with different geometry or class counts.</exception>
    public static ImageSet Concat(string name, IReadOnlyList<ImageSet> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("At least one image set is needed.", nameof(parts));
        }

        var first = parts[0];
        foreach (var p in parts)
        {
            if (p.Channels != first.Channels || p.Height != first.Height || p.Width != first.Width || p.ClassCount != first.ClassCount)
            {
                throw new ArgumentException(
                    $"'{p.Name}' is {p.Channels}x{p.Height}x{p.Width} with {p.ClassCount} classes; '{first.Name}' is {first.Channels}x{first.Height}x{first.Width} with {first.ClassCount}.",
                    nameof(parts));
            }
        }

        var count = parts.Sum(p => p.Count);
        var pixels = new byte[checked((long)count * first.ImageSize)];
        var labels = new int[count];
        var at = 0;
        foreach (var p in parts)
        {
            p.Pixels.CopyTo(pixels, (long)at * first.ImageSize);
            p.Labels.CopyTo(labels, at);
            at += p.Count;
        }

        return new ImageSet(name, pixels, labels, first.ClassCount, first.Channels, first.Height, first.Width);
    }
}
