using GradSign.Backends.Execution;
using GradSign.Backends.Managed.Kernels;
using GradSign.Networks;

namespace GradSign.Backends.Managed;

/// <summary>
/// The default backend: a managed, SIMD-vectorised CPU implementation of every operation NAS-Bench-201/101
/// networks use, with exact PyTorch semantics (training-mode BatchNorm, ReLU'(0) = 0, first-maximum max pooling),
/// reverse-mode gradients, per-sample gradients, exact Hessian-vector products (forward-over-reverse) and ReLU codes.
/// </summary>
/// <remarks>
/// <para>Create one per application (or per scoring loop) and dispose it when done. It owns the buffer pool of the
/// networks it compiles: a disposed network's activation, gradient and tangent buffers are handed to the next network
/// (proxies compile a fresh network per call, and reusing warm memory avoids faulting in and zeroing hundreds of
/// megabytes per call). The pool never holds more than the recently compiled networks needed at once
/// (<see cref="ManagedBackendOptions.MaxRetainedBufferBytes"/> caps it further); <see cref="Dispose"/> releases it.</para>
/// </remarks>
/// <threadsafety>Thread-safe; compiled networks are not thread-safe (compile one per thread).</threadsafety>
public sealed class ManagedBackend : ITensorBackend, IDisposable
{
    private readonly BufferPool _pool;
    private readonly KernelScratch _scratch = new();
    private bool _disposed;

    /// <summary>A backend with <see cref="ManagedBackendOptions.Default"/>.</summary>
    public ManagedBackend()
        : this(ManagedBackendOptions.Default)
    {
    }

    /// <summary>A backend with the given memory options.</summary>
    /// <param name="options">How buffers are kept between networks and whether cheap layers are recomputed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ManagedBackendOptions.MaxRetainedBufferBytes"/> is negative.</exception>
    public ManagedBackend(ManagedBackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxRetainedBufferBytes is { } cap)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(cap, nameof(options));
        }

        Options = options;
        _pool = new BufferPool(options.MaxRetainedBufferBytes, options.CollectDroppedBuffers);
    }

    /// <summary>A backend keeping at most <paramref name="maxRetainedBufferBytes"/> bytes of released buffers
    /// (0: none; every network allocates its own).</summary>
    /// <param name="maxRetainedBufferBytes">Bytes of buffers kept between compiled networks.</param>
    public ManagedBackend(long maxRetainedBufferBytes)
        : this(new ManagedBackendOptions { MaxRetainedBufferBytes = maxRetainedBufferBytes })
    {
    }

    /// <summary>The memory options this backend was created with.</summary>
    public ManagedBackendOptions Options { get; }

    /// <summary>Bytes of released buffers the backend currently keeps for the next networks it compiles.</summary>
    public long RetainedBufferBytes => _pool.RetainedBytes;

    /// <summary>The pool (tests observe its accounting).</summary>
    internal BufferPool Pool => _pool;

    /// <summary>The kernels' scratch (tests observe its accounting).</summary>
    internal KernelScratch Scratch => _scratch;

    /// <summary>Drops every kept buffer and kernel scratch array (networks still alive keep theirs).</summary>
    public void TrimBuffers()
    {
        _pool.Clear();
        _scratch.Clear();
    }

    /// <inheritdoc />
    public string Name => "managed";

    /// <inheritdoc />
    public BackendCapabilities Capabilities => BackendCapabilities.All;

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The backend was disposed.</exception>
    public INetworkExecutor Compile(NetworkWeights weights, ExecutionOptions options)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        return options.Precision switch
        {
            Precision.Float32 => new ManagedExecutor<float>(weights, options, _pool, _scratch, Options.RecomputeCheapLayers),
            Precision.Float64 => new ManagedExecutor<double>(weights, options, _pool, _scratch, Options.RecomputeCheapLayers),
            _ => throw new ArgumentException($"Unknown precision {options.Precision}.", nameof(options)),
        };
    }

    /// <summary>Releases every kept buffer; networks compiled earlier keep working and free their own buffers when
    /// disposed. The backend compiles nothing afterwards.</summary>
    public void Dispose()
    {
        _disposed = true;
        _pool.Close();
        _scratch.Clear();
    }
}
