using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradSign.Data;

/// <summary>
/// Loads the training or test split of a dataset from the data folder (see <see cref="DataFolder"/> and
/// <c>../shared/data/README.md</c>).
/// </summary>
/// <remarks>
/// Files, relative to the data folder:
/// <list type="bullet">
/// <item><description>CIFAR-10: train = <c>cifar-10/data_batch_1.bin</c> … <c>data_batch_5.bin</c>, test = <c>cifar-10/test_batch.bin</c>.</description></item>
/// <item><description>CIFAR-100: train = <c>cifar-100/train.bin</c>, test = <c>cifar-100/test.bin</c> (fine labels).</description></item>
/// <item><description>ImageNet16-120 — a <b>stand-in</b>, the real files are not available: train =
/// <c>imagenet16-120-standin/imagenet_sample_120cls_1each.bin</c> (one image per class, so all 120 labels occur)
/// followed by <c>tinyimagenet_14cls_train.bin</c>; test = <c>tinyimagenet_14cls_val.bin</c>. Real ImageNet photos
/// down-sampled to 16×16, but the class mix differs from ImageNet16-120 (most images come from 14 classes), so
/// correlations measured with it are approximations and must be reported as such.</description></item>
/// </list>
/// The shared copies keep only the first records of each original file; every class is still present.
/// </remarks>
public static class ImageDatasets
{
    /// <summary>The files of a split, relative to the data folder, in the order they are concatenated.</summary>
    /// <param name="kind">Dataset.</param>
    /// <param name="split">Split.</param>
    /// <returns>Relative paths.</returns>
    public static IReadOnlyList<string> Files(DatasetKind kind, DatasetSplit split) => (kind, split) switch
    {
        (DatasetKind.Cifar10, DatasetSplit.Train) =>
        [
            Path.Combine("cifar-10", "data_batch_1.bin"), Path.Combine("cifar-10", "data_batch_2.bin"),
            Path.Combine("cifar-10", "data_batch_3.bin"), Path.Combine("cifar-10", "data_batch_4.bin"),
            Path.Combine("cifar-10", "data_batch_5.bin"),
        ],
        (DatasetKind.Cifar10, DatasetSplit.Test) => [Path.Combine("cifar-10", "test_batch.bin")],
        (DatasetKind.Cifar100, DatasetSplit.Train) => [Path.Combine("cifar-100", "train.bin")],
        (DatasetKind.Cifar100, DatasetSplit.Test) => [Path.Combine("cifar-100", "test.bin")],
        (DatasetKind.ImageNet16, DatasetSplit.Train) =>
        [
            Path.Combine("imagenet16-120-standin", "imagenet_sample_120cls_1each.bin"),
            Path.Combine("imagenet16-120-standin", "tinyimagenet_14cls_train.bin"),
        ],
        (DatasetKind.ImageNet16, DatasetSplit.Test) => [Path.Combine("imagenet16-120-standin", "tinyimagenet_14cls_val.bin")],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), $"Unknown dataset/split {kind}/{split}."),
    };

    /// <summary>Loads a split.</summary>
    /// <param name="dataFolder">The data folder (e.g. from <see cref="DataFolder.Resolve"/>).</param>
    /// <param name="kind">Dataset.</param>
    /// <param name="split">Split.</param>
    /// <param name="logger">Optional logger.</param>
    /// <returns>All images of the split, files concatenated in <see cref="Files"/> order.</returns>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed (file and byte offset named).</exception>
    public static ImageSet Load(string dataFolder, DatasetKind kind, DatasetSplit split, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataFolder);
        logger ??= NullLogger.Instance;
        var format = ImageFileFormat.For(kind);
        var files = Files(kind, split);
        ImageSet set;
        if (files.Count == 1)
        {
            DataFolder.VerifyChecksum(dataFolder, files[0]);
            set = ImageFileReader.Read(Path.Combine(dataFolder, files[0]), format);
        }
        else
        {
            set = ReadAll(dataFolder, files, format, $"{kind.ToId()}/{split.ToString().ToLowerInvariant()}");
        }

        DataLog.ImagesLoaded(logger, set.Count, kind.ToId(), split.ToString(), dataFolder);
        return set;
    }

    /// <summary>
    /// Reads several files into one set, as <see cref="ImageFileReader.Read"/> and <see cref="ImageSet.Concat"/> would:
    /// each file goes through one reused read buffer straight into the set's arrays, so loading holds the set plus one
    /// file rather than every file twice over.
    /// </summary>
    private static ImageSet ReadAll(string dataFolder, IReadOnlyList<string> files, ImageFileFormat format, string name)
    {
        var paths = new string[files.Count];
        var lengths = new long[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            DataFolder.VerifyChecksum(dataFolder, files[i]);
            paths[i] = Path.Combine(dataFolder, files[i]);
            lengths[i] = new FileInfo(paths[i]).Length;
            ImageFileReader.CheckLength(lengths[i], format, paths[i]);
        }

        var count = checked((int)lengths.Sum(l => l / format.RecordSize));
        var pixels = new byte[checked((long)count * format.PixelBytes)];
        var labels = new int[count];
        var buffer = new byte[lengths.Max()];
        var at = 0;
        for (var i = 0; i < paths.Length; i++)
        {
            using (var stream = File.OpenRead(paths[i]))
            {
                if (stream.Length != lengths[i])
                {
                    throw new InvalidDataException($"Image file '{paths[i]}' changed size while it was read.");
                }

                stream.ReadExactly(buffer, 0, (int)lengths[i]);
            }

            var records = (int)(lengths[i] / format.RecordSize);
            ImageFileReader.ParseInto(
                buffer.AsSpan(0, (int)lengths[i]),
                format,
                paths[i],
                pixels.AsSpan(at * format.PixelBytes, records * format.PixelBytes),
                labels.AsSpan(at, records));
            at += records;
        }

        return new ImageSet(name, pixels, labels, format.ClassCount, format.Channels, format.Height, format.Width);
    }
}
