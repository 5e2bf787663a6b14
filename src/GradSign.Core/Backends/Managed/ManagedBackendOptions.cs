namespace GradSign.Backends.Managed;

/// <summary>How a <see cref="ManagedBackend"/> uses memory: what it keeps between the networks it compiles and what they keep between passes. Immutable.</summary>
public sealed record ManagedBackendOptions
{
    /// <summary>Default: buffers kept up to what the recent networks needed, no further cap.</summary>
    public static ManagedBackendOptions Default { get; } = new();

    /// <summary>
    /// Most bytes of released activation, gradient and tangent buffers the backend keeps for the next networks it
    /// compiles; null (the default) keeps at most what the recently compiled networks needed at once (buffers in use
    /// plus buffers kept never exceed that high-water mark); 0 keeps nothing (every network allocates its own).
    /// </summary>
    public long? MaxRetainedBufferBytes { get; init; }

    /// <summary>
    /// Whether compiled networks recompute the outputs of cheap layers (ReLU, sums, pooling, BatchNorm) in backward passes
    /// instead of keeping them from the forward pass (default true). Recomputed values are the forward pass's bit for
    /// bit, so scores do not depend on it; it trades memory for time: on NAS-Bench-201 (C = 16, N = 5, batch 64) it
    /// roughly halves the activation memory of gradient-based proxies and costs a few percent of their time. With it, a
    /// Hessian-vector product (GraSP) also recomputes whole segments of the network, convolutions included (between
    /// NAS-Bench-201 cells), from the activations at their boundaries instead of holding every value and tangent at once.
    /// Set it to false when time matters more than peak memory.
    /// </summary>
    public bool RecomputeCheapLayers { get; init; } = true;

    /// <summary>
    /// Whether buffers the backend stops keeping (when the sizes its networks need change, as in a Hessian-vector
    /// product that recomputes segments of different resolutions) are handed to the garbage collector promptly: after
    /// every 4 MiB dropped, the next fresh buffer first runs a blocking full collection (default true). Without it the
    /// dropped buffers stay in the process until the collector's own budget runs out, which on GraSP over a
    /// NAS-Bench-201 cell added 30–50 MB to the peak. Set it to false in hosts where induced collections are unwanted.
    /// </summary>
    public bool CollectDroppedBuffers { get; init; } = true;
}
