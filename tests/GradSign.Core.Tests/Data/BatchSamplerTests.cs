using GradSign.Data;
using GradSign.Networks;
using GradSign.Internal;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Data;

public class BatchSamplerTests
{
    // Constants copied from ALGORITHMS.md §1.3 (zero-cost-nas) and §6.1 (NASWOT), independent of the library's tables.
    public static TheoryData<BatchPipeline, DatasetKind, double[], double[]> Constants => new()
    {
        { BatchPipeline.ZeroCostNas, DatasetKind.Cifar10, [0.4914, 0.4822, 0.4465], [0.2023, 0.1994, 0.2010] },
        { BatchPipeline.ZeroCostNas, DatasetKind.Cifar100, [0.4914, 0.4822, 0.4465], [0.2023, 0.1994, 0.2010] },
        { BatchPipeline.ZeroCostNas, DatasetKind.ImageNet16, [122.68 / 255, 116.66 / 255, 104.01 / 255], [63.22 / 255, 61.26 / 255, 65.09 / 255] },
        { BatchPipeline.Naswot, DatasetKind.Cifar10, [125.3 / 255, 123.0 / 255, 113.9 / 255], [63.0 / 255, 62.1 / 255, 66.7 / 255] },
        { BatchPipeline.Naswot, DatasetKind.Cifar100, [129.3 / 255, 124.1 / 255, 112.4 / 255], [68.2 / 255, 65.4 / 255, 70.4 / 255] },
        { BatchPipeline.Naswot, DatasetKind.ImageNet16, [122.68 / 255, 116.66 / 255, 104.01 / 255], [63.22 / 255, 61.26 / 255, 65.09 / 255] },
    };

    [Theory]
    [MemberData(nameof(Constants))]
    public void GetBatch_Naswot_PixelMapsToNormalisedValue(BatchPipeline pipeline, DatasetKind kind, double[] mean, double[] std)
    {
        // One image per value so every output image identifies its source; NASWOT: no augmentation, so the output is the image.
        var size = kind.ImageSize();
        var images = PatternSet(kind, count: 8, seed: 5);
        var sampler = new BatchSampler(images, kind, new BatchOptions(BatchPipeline.Naswot, BatchSize: 8, Seed: 3) { Normalization = ChannelNormalization.For(pipeline, kind) });
        var batch = sampler.GetBatch(new ArchitectureKey(0));
        var plane = size * size;
        var used = new HashSet<int>();
        for (var b = 0; b < batch.Count; b++)
        {
            var source = Array.IndexOf(images.Labels, batch.Labels![b]);
            Assert.True(used.Add(source));
            for (var c = 0; c < 3; c++)
            {
                for (var p = 0; p < plane; p++)
                {
                    var v = images.Image(source)[(c * plane) + p];
                    var expected = ((v / 255.0) - mean[c]) / std[c];
                    // float32 ToTensor + Normalize: a few ulps of values below ~5 in magnitude.
                    Assert.Equal(expected, batch.Images[(b * 3 * plane) + (c * plane) + p], 2e-6);
                }
            }
        }
    }

    [Fact]
    public void Transform_CropAndFlip_MatchesPaddedReference()
    {
        const int h = 6, w = 5, pad = 2;
        var rng = new SplitMix64(11);
        var image = new byte[3 * h * w];
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = (byte)(1 + rng.NextInt(255));
        }

        var identity = new ChannelNormalization([0f, 0f, 0f], [1f / 255, 1f / 255, 1f / 255]);
        for (var top = 0; top <= 2 * pad; top++)
        {
            for (var left = 0; left <= 2 * pad; left++)
            {
                foreach (var flip in new[] { false, true })
                {
                    var output = new float[image.Length];
                    BatchSampler.Transform(image, 3, h, w, pad, top, left, flip, identity, output);
                    var expected = ReferenceCropFlip(image, h, w, pad, top, left, flip);
                    for (var i = 0; i < output.Length; i++)
                    {
                        Assert.Equal(expected[i], output[i], 1e-3);
                    }
                }
            }
        }
    }

    [Fact]
    public void GetBatch_ZeroCostNas_EachImageIsOneCropFlipOfItsSource()
    {
        var images = PatternSet(DatasetKind.ImageNet16, count: 1, seed: 9);
        var identity = new ChannelNormalization([0f, 0f, 0f], [1f / 255, 1f / 255, 1f / 255]);
        var tops = new HashSet<int>();
        var flips = new HashSet<bool>();
        for (ulong seed = 0; seed < 300; seed++)
        {
            var sampler = new BatchSampler(images, DatasetKind.ImageNet16, new BatchOptions(BatchPipeline.ZeroCostNas, 1, seed) { Normalization = identity });
            Assert.Equal(2, sampler.CropPadding);
            var output = sampler.GetBatch(new ArchitectureKey(0)).Images;
            var matches = new List<(int Top, int Left, bool Flip)>();
            for (var top = 0; top <= 4; top++)
            {
                for (var left = 0; left <= 4; left++)
                {
                    foreach (var flip in new[] { false, true })
                    {
                        var expected = ReferenceCropFlip(images.Pixels, 16, 16, 2, top, left, flip);
                        if (expected.Zip(output).All(p => Math.Abs(p.First - p.Second) < 1e-3))
                        {
                            matches.Add((top, left, flip));
                        }
                    }
                }
            }

            var match = Assert.Single(matches);
            tops.Add(match.Top);
            flips.Add(match.Flip);
        }

        Assert.Equal(5, tops.Count);
        Assert.Equal(2, flips.Count);
    }

    [Fact]
    public void Constructor_DefaultPadding_IsFourFor32AndTwoFor16()
    {
        Assert.Equal(4, new BatchSampler(PatternSet(DatasetKind.Cifar10, 2, 1), DatasetKind.Cifar10, new BatchOptions(BatchSize: 2)).CropPadding);
        Assert.Equal(2, new BatchSampler(PatternSet(DatasetKind.ImageNet16, 2, 1), DatasetKind.ImageNet16, new BatchOptions(BatchSize: 2)).CropPadding);
    }

    [Fact]
    public void GetBatch_SameSeed_IsDeterministic()
    {
        var images = PatternSet(DatasetKind.Cifar10, 40, 2);
        var a = new BatchSampler(images, DatasetKind.Cifar10, new BatchOptions(BatchSize: 16, Seed: 7)).GetBatch(new ArchitectureKey(123));
        var b = new BatchSampler(images, DatasetKind.Cifar10, new BatchOptions(BatchSize: 16, Seed: 7)).GetBatch(new ArchitectureKey(123));
        Assert.Equal(a.Images, b.Images);
        Assert.Equal(a.Labels, b.Labels);
    }

    [Fact]
    public void GetBatch_DifferentSeedsOrArchitectures_Differ()
    {
        var images = PatternSet(DatasetKind.Cifar10, 40, 2);
        var sampler = new BatchSampler(images, DatasetKind.Cifar10, new BatchOptions(BatchSize: 16, Seed: 7));
        var other = new BatchSampler(images, DatasetKind.Cifar10, new BatchOptions(BatchSize: 16, Seed: 8));
        Assert.NotEqual(sampler.GetBatch(new ArchitectureKey(1)).Images, other.GetBatch(new ArchitectureKey(1)).Images);
        Assert.NotEqual(sampler.GetBatch(new ArchitectureKey(1)).Images, sampler.GetBatch(new ArchitectureKey(2)).Images);
    }

    [Fact]
    public void GetBatch_Naswot_SameBatchForEveryArchitecture()
    {
        var images = PatternSet(DatasetKind.Cifar100, 40, 2);
        var sampler = new BatchSampler(images, DatasetKind.Cifar100, new BatchOptions(BatchPipeline.Naswot, 16, 7));
        var first = sampler.GetBatch(new ArchitectureKey(0));
        foreach (var index in new ulong[] { 1, 77, 15624 })
        {
            Assert.Equal(first.Images, sampler.GetBatch(new ArchitectureKey(index)).Images);
            Assert.Equal(first.Labels, sampler.GetBatch(new ArchitectureKey(index)).Labels);
        }

        var otherSeed = new BatchSampler(images, DatasetKind.Cifar100, new BatchOptions(BatchPipeline.Naswot, 16, 8)).GetBatch(new ArchitectureKey(0));
        Assert.NotEqual(first.Labels, otherSeed.Labels);
    }

    [Fact]
    public void GetBatch_DrawsDistinctImagesWithoutReplacement()
    {
        var images = PatternSet(DatasetKind.Cifar10, 30, 4);
        var batch = new BatchSampler(images, DatasetKind.Cifar10, new BatchOptions(BatchSize: 30)).GetBatch(new ArchitectureKey(5));
        Assert.Equal(30, batch.Labels!.Distinct().Count());
    }

    [Fact]
    public void Constructor_BatchLargerThanDataset_ThrowsNamingSizes()
    {
        var images = PatternSet(DatasetKind.Cifar10, 3, 1);
        var ex = Assert.Throws<ArgumentException>(() => new BatchSampler(images, DatasetKind.Cifar10, new BatchOptions(BatchSize: 4)));
        Assert.Contains("4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_WrongImageSize_Throws()
    {
        Assert.Throws<ArgumentException>(() => new BatchSampler(PatternSet(DatasetKind.ImageNet16, 4, 1), DatasetKind.Cifar10, new BatchOptions(BatchSize: 2)));
    }

    [RequiresDataFact]
    public void GetBatch_RealCifar10_ValuesWithinNormalisedByteRange()
    {
        var train = ImageDatasets.Load(SharedPaths.Data!, DatasetKind.Cifar10, DatasetSplit.Train);
        var batch = new BatchSampler(train, DatasetKind.Cifar10, new BatchOptions()).GetBatch(new ArchitectureKey(6111));
        Assert.Equal((64, 3, 32, 32), (batch.Count, batch.Channels, batch.Height, batch.Width));
        double[] mean = [0.4914, 0.4822, 0.4465], std = [0.2023, 0.1994, 0.2010];
        for (var i = 0; i < batch.Images.Length; i++)
        {
            var c = i / 1024 % 3;
            Assert.InRange(batch.Images[i], (-mean[c] / std[c]) - 1e-5, ((1 - mean[c]) / std[c]) + 1e-5);
        }
    }

    /// <summary>Pads the image explicitly with zeros, crops at (top, left), then mirrors — the literal torchvision recipe.</summary>
    private static float[] ReferenceCropFlip(byte[] image, int h, int w, int pad, int top, int left, bool flip)
    {
        var output = new float[image.Length];
        var ph = h + (2 * pad);
        var pw = w + (2 * pad);
        for (var c = 0; c < 3; c++)
        {
            var padded = new byte[ph, pw];
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    padded[y + pad, x + pad] = image[(c * h * w) + (y * w) + x];
                }
            }

            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    var cropped = padded[y + top, x + left];
                    var target = flip ? w - 1 - x : x;
                    output[(c * h * w) + (y * w) + target] = cropped;
                }
            }
        }

        return output;
    }

    /// <summary>Random non-zero images labelled 0..count−1 (so a label identifies its image).</summary>
    private static ImageSet PatternSet(DatasetKind kind, int count, ulong seed)
    {
        var size = kind.ImageSize();
        var rng = new SplitMix64(seed);
        var pixels = new byte[count * 3 * size * size];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(1 + rng.NextInt(255));
        }

        return new ImageSet("pattern", pixels, [.. Enumerable.Range(0, count)], Math.Max(count, kind.ClassCount()), 3, size, size);
    }
}
