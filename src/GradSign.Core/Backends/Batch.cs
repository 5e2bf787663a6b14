namespace GradSign.Backends;

/// <summary>
/// A mini-batch of images (float32, NCHW, row-major) with optional integer class labels.
/// </summary>
/// <threadsafety>Immutable after construction as long as callers do not modify the arrays they passed in.</threadsafety>
public sealed class Batch
{
    /// <summary>Creates a batch, validating sizes.</summary>
    /// <param name="images">Pixels, length count·channels·height·width.</param>
    /// <param name="labels">Labels, length count, or null when the batch is unlabelled.</param>
    /// <param name="count">Number of samples.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="height">Height.</param>
    /// <param name="width">Width.</param>
    /// <exception cref="ArgumentException">A length does not match, or a label is negative.</exception>
    public Batch(float[] images, int[]? labels, int count, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        var expected = checked((long)count * channels * height * width);
        if (images.LongLength != expected)
        {
            throw new ArgumentException($"images has {images.LongLength} values; {count}x{channels}x{height}x{width} needs {expected}.", nameof(images));
        }

        if (labels is not null)
        {
            if (labels.Length != count)
            {
                throw new ArgumentException($"labels has {labels.Length} entries; the batch has {count} samples.", nameof(labels));
            }

            for (var i = 0; i < labels.Length; i++)
            {
                if (labels[i] < 0)
                {
                    throw new ArgumentException($"labels[{i}] = {labels[i]} is negative.", nameof(labels));
                }
            }
        }

        Images = images;
        Labels = labels;
        Count = count;
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>Pixels, NCHW.</summary>
    public float[] Images { get; }

    /// <summary>Labels, or null.</summary>
    public int[]? Labels { get; }

    /// <summary>Samples.</summary>
    public int Count { get; }

    /// <summary>Channels.</summary>
    public int Channels { get; }

    /// <summary>Height.</summary>
    public int Height { get; }

    /// <summary>Width.</summary>
    public int Width { get; }

    /// <summary>Values per sample.</summary>
    public int SampleSize => Channels * Height * Width;
}
