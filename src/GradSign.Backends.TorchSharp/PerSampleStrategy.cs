namespace GradSign.Backends.TorchSharp;

/// <summary>How a <see cref="TorchSharpBackend"/> computes per-sample gradients (GradSign).</summary>
public enum PerSampleStrategy
{
    /// <summary><see cref="Loop"/> on the CPU, <see cref="Batched"/> on CUDA.</summary>
    Auto,

    /// <summary>
    /// The reference loop: each sample forwarded and differentiated alone, as a batch of one. Op for op what the
    /// Python reference runs.
    /// </summary>
    Loop,

    /// <summary>
    /// One pass for a group of samples: every BatchNorm normalises each sample over its own H×W (instance
    /// normalisation, which is what a batch of one computes), each sample differentiates its own loss, and every
    /// layer that owns a wanted parameter runs with one copy of its parameters per sample (convolutions as grouped
    /// convolutions, linear layers as batched matrix products), so one backward pass yields every sample's gradients.
    /// Groups are sized to <see cref="TorchSharpBackendOptions.PerSampleMemoryBytes"/>.
    /// </summary>
    Batched,
}
