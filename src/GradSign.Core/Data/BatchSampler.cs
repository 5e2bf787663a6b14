using GradSign.Backends;
using GradSign.Internal;
using GradSign.Networks;

namespace GradSign.Data;

/// <summary>
/// Builds the proxy minibatch of each architecture the way the reference scripts do (see <see cref="BatchPipeline"/>),
/// deterministically from <see cref="BatchOptions.Seed"/>.
/// </summary>
/// <remarks>
/// <see cref="BatchPipeline.ZeroCostNas"/> draws a different shuffled, augmented batch for every architecture
/// (zero-cost-nas re-creates its shuffling loader per network); the draw is seeded by (seed, <see cref="ArchitectureKey"/>) so a
/// cell's batch does not depend on which other cells were scored before it — needed for <c>--resume</c> and
/// <c>--shard</c>. <see cref="BatchPipeline.Naswot"/> returns the same un-augmented batch for every index.
/// Bit-identical batches to PyTorch's are not attainable (different RNG), only the same distribution.
/// </remarks>
/// <threadsafety>Thread-safe: every call allocates its own generator and arrays.</threadsafety>
public sealed class BatchSampler
{
    /// <summary>The <see cref="ArchitectureKey"/> stream of batch draws (the initial weights are stream 0).</summary>
    private const ulong BatchStream = 1;

    /// <summary>Creates a sampler.</summary>
    /// <param name="images">The training images to draw from.</param>
    /// <param name="kind">The dataset (selects the normalisation constants).</param>
    /// <param name="options">Pipeline, batch size, seed.</param>
    /// <exception cref="ArgumentException">The batch size exceeds the number of images, the image size does not match
    /// <paramref name="kind"/>, or the normalisation or padding is invalid.</exception>
    public BatchSampler(ImageSet images, DatasetKind kind, BatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize, "options.BatchSize");
        if (options.BatchSize > images.Count)
        {
            throw new ArgumentException($"Batch size {options.BatchSize} exceeds the {images.Count} images of '{images.Name}'.", nameof(options));
        }

        if (images.Height != kind.ImageSize() || images.Width != kind.ImageSize())
        {
            throw new ArgumentException($"'{images.Name}' has {images.Height}x{images.Width} images; {kind.ToId()} needs {kind.ImageSize()}x{kind.ImageSize()}.", nameof(images));
        }

        Normalization = options.Normalization ?? ChannelNormalization.For(options.Pipeline, kind);
        Normalization.Validate(images.Channels);
        CropPadding = options.CropPadding ?? (images.Height / 8);
        ArgumentOutOfRangeException.ThrowIfNegative(CropPadding, "options.CropPadding");
        Images = images;
        Kind = kind;
        Options = options;
    }

    /// <summary>The images batches are drawn from.</summary>
    public ImageSet Images { get; }

    /// <summary>The dataset.</summary>
    public DatasetKind Kind { get; }

    /// <summary>The options.</summary>
    public BatchOptions Options { get; }

    /// <summary>The normalisation in use.</summary>
    public ChannelNormalization Normalization { get; }

    /// <summary>RandomCrop zero padding in use (zero-cost-nas pipeline only).</summary>
    public int CropPadding { get; }

    /// <summary>The minibatch of an architecture.</summary>
    /// <param name="key">The architecture's key (ignored by <see cref="BatchPipeline.Naswot"/>, which gives every
    /// architecture the same batch).</param>
    /// <returns>A new labelled batch, NCHW float32.</returns>
    public Batch GetBatch(ArchitectureKey key)
    {
        var naswot = Options.Pipeline == BatchPipeline.Naswot;
        var rng = new SplitMix64(naswot ? Options.Seed : key.StreamSeed(Options.Seed, BatchStream));
        var n = Options.BatchSize;
        var chosen = DrawIndices(rng, Images.Count, n);
        var size = Images.ImageSize;
        var pixels = new float[checked((long)n * size)];
        var labels = new int[n];
        var padding = naswot ? 0 : CropPadding;
        for (var b = 0; b < n; b++)
        {
            // Per image, torchvision draws the crop offsets first (randint(0, h + 2p − h + 1), then for the width),
            // then the flip coin; keep that order so a change of pipeline is the only change of stream.
            int top = padding, left = padding;
            var flip = false;
            if (!naswot)
            {
                top = rng.NextInt((2 * padding) + 1);
                left = rng.NextInt((2 * padding) + 1);
                flip = rng.NextDouble() < 0.5;
            }

            Transform(Images.Image(chosen[b]), Images.Channels, Images.Height, Images.Width, padding, top, left, flip, Normalization, pixels.AsSpan(b * size, size));
            labels[b] = Images.Labels[chosen[b]];
        }

        return new Batch(pixels, labels, n, Images.Channels, Images.Height, Images.Width);
    }

    /// <summary>The first <paramref name="count"/> entries of a uniform random permutation of [0, n) (partial Fisher–Yates),
    /// i.e. the first minibatch of a shuffling loader.</summary>
    internal static int[] DrawIndices(SplitMix64 rng, int n, int count)
    {
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        for (var i = 0; i < count; i++)
        {
            var j = i + rng.NextInt(n - i);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order[..count];
    }

    /// <summary>
    /// RandomCrop(h×w, padding p, zero fill) at offset (top, left) in the padded image, optional horizontal flip, ToTensor,
    /// Normalize. Output pixel (y, x) of channel c comes from source (y + top − p, x' + left − p) with x' = w − 1 − x when
    /// flipped, else x; a source outside the image is the zero pad byte (normalised like any 0 byte, as torchvision pads the
    /// PIL image before ToTensor).
    /// </summary>
    internal static void Transform(ReadOnlySpan<byte> image, int channels, int height, int width, int padding, int top, int left, bool flip,
        ChannelNormalization normalization, Span<float> destination)
    {
        for (var c = 0; c < channels; c++)
        {
            var zero = normalization.Apply(0, c);
            var plane = image.Slice(c * height * width, height * width);
            var output = destination.Slice(c * height * width, height * width);
            for (var y = 0; y < height; y++)
            {
                var sy = y + top - padding;
                for (var x = 0; x < width; x++)
                {
                    var sx = (flip ? width - 1 - x : x) + left - padding;
                    output[(y * width) + x] = (uint)sy < (uint)height && (uint)sx < (uint)width
                        ? normalization.Apply(plane[(sy * width) + sx], c)
                        : zero;
                }
            }
        }
    }
}
