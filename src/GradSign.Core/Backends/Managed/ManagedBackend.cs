using GradSign.Backends.Execution;
using GradSign.Networks;

namespace GradSign.Backends.Managed;

/// <summary>
/// The default backend: a managed, SIMD-vectorised CPU implementation of every operation NAS-Bench-201/101
/// networks use, with exact PyTorch semantics (training-mode BatchNorm, ReLU'(0) = 0, first-maximum max pooling),
/// reverse-mode gradients, per-sample gradients, exact Hessian-vector products (forward-over-reverse) and ReLU codes.
/// </summary>
/// <remarks>
/// The backend keeps the large buffers of the networks it compiled once they are disposed and hands them to the
/// next network it compiles (proxies compile a fresh network per call; reusing warm memory avoids faulting in and
/// zeroing hundreds of megabytes per call). Dispose compiled networks to give their buffers back.
/// </remarks>
/// <threadsafety>Thread-safe; compiled networks are not thread-safe (compile one per thread).</threadsafety>
public sealed class ManagedBackend : ITensorBackend
{
    private readonly BufferPool _pool;

    /// <summary>A backend retaining at most a quarter of the memory available to the process (at least 1 GiB) of
    /// released buffers.</summary>
    public ManagedBackend()
        : this(Math.Max(1L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4))
    {
    }

    /// <summary>A backend retaining at most <paramref name="maxRetainedBufferBytes"/> bytes of released buffers
    /// (0: none; every network allocates its own).</summary>
    /// <param name="maxRetainedBufferBytes">Bytes of buffers kept between compiled networks.</param>
    public ManagedBackend(long maxRetainedBufferBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetainedBufferBytes);
        _pool = new BufferPool(maxRetainedBufferBytes);
    }

    /// <summary>Bytes of released buffers the backend currently keeps for the next networks it compiles.</summary>
    public long RetainedBufferBytes => _pool.RetainedBytes;

    /// <summary>Drops every kept buffer (networks still alive keep theirs).</summary>
    public void TrimBuffers() => _pool.Clear();

    /// <inheritdoc />
    public string Name => "managed";

    /// <inheritdoc />
    public BackendCapabilities Capabilities => BackendCapabilities.All;

    /// <inheritdoc />
    public INetworkExecutor Compile(NetworkWeights weights, ExecutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        return options.Precision switch
        {
            Precision.Float32 => new ManagedExecutor<float>(weights, options, _pool),
            Precision.Float64 => new ManagedExecutor<double>(weights, options, _pool),
            _ => throw new ArgumentException($"Unknown precision {options.Precision}.", nameof(options)),
        };
    }
}
