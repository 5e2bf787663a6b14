namespace GradSign.Data;

/// <summary>How a proxy minibatch is drawn and preprocessed.</summary>
public enum BatchPipeline
{
    /// <summary>
    /// zero-cost-nas (ZC <c>foresight/dataset.py</c>, <c>p_utils.get_some_data</c>; used by GradSign's Spearman runs):
    /// a random training minibatch (shuffle) per architecture, each image <c>RandomCrop(size, padding, zero fill)</c> →
    /// <c>RandomHorizontalFlip</c> → <c>ToTensor</c> → <c>Normalize</c> (ZC CIFAR statistics for CIFAR-10 and CIFAR-100).
    /// </summary>
    ZeroCostNas,

    /// <summary>
    /// NASWOT (NW <c>datasets/data.py</c>, <c>--augtype none</c>): no augmentation, <c>ToTensor</c> → <c>Normalize</c> with
    /// the NAS-Bench-201 statistics, and the same minibatch for every architecture (the RNG is reset before it is drawn).
    /// </summary>
    Naswot,
}
