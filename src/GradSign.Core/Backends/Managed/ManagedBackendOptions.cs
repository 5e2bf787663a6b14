namespace GradSign.Backends.Managed;

/// <summary>How a <see cref="ManagedBackend"/> keeps memory between the networks it compiles. Immutable.</summary>
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
}
