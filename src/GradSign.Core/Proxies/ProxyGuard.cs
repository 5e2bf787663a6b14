using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>Argument and capability checks shared by every built-in proxy, so failures read the same everywhere.</summary>
internal static class ProxyGuard
{
    /// <summary>Checks the arguments of <see cref="IZeroCostProxy.Compute"/> and returns the capabilities the call needs.</summary>
    public static void Validate(IZeroCostProxy proxy, NetworkWeights weights, Batch batch, ProxyContext context, bool needsFloat64 = false)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(context.Backend);
        var needed = proxy.Requirements.Capabilities;
        if (needsFloat64 || context.Precision == Precision.Float64)
        {
            needed |= BackendCapabilities.Float64;
        }

        EnsureSupported(proxy.Id, needed, context.Backend);
        if (proxy.Requirements.NeedsLabels)
        {
            EnsureLabels(proxy.Id, batch, weights.Spec.NumClasses);
        }

        EnsureInputShape(batch, weights.Spec);
    }

    /// <summary>Throws <see cref="NotSupportedException"/> naming the proxy, the backend and what is missing.</summary>
    public static void EnsureSupported(string proxyId, BackendCapabilities needed, ITensorBackend backend)
    {
        var missing = needed & ~backend.Capabilities;
        if (missing != BackendCapabilities.None)
        {
            throw new NotSupportedException($"Proxy '{proxyId}' needs backend capabilities {missing} that backend '{backend.Name}' does not have.");
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> when the batch has no labels or a label is out of range.</summary>
    public static void EnsureLabels(string proxyId, Batch batch, int numClasses)
    {
        if (batch.Labels is null)
        {
            throw new ArgumentException($"Proxy '{proxyId}' needs labels, but the batch has none.", nameof(batch));
        }

        for (var i = 0; i < batch.Labels.Length; i++)
        {
            if (batch.Labels[i] >= numClasses)
            {
                throw new ArgumentException($"labels[{i}] = {batch.Labels[i]} is out of range for a network with {numClasses} classes (proxy '{proxyId}').", nameof(batch));
            }
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> when the batch's sample shape differs from the network's input.</summary>
    public static void EnsureInputShape(Batch batch, NetworkSpec spec)
    {
        var shape = spec.InputShape;
        if (batch.Channels != shape[0] || batch.Height != shape[1] || batch.Width != shape[2])
        {
            throw new ArgumentException(
                $"The batch holds {batch.Channels}x{batch.Height}x{batch.Width} samples; the network expects {shape[0]}x{shape[1]}x{shape[2]}.",
                nameof(batch));
        }
    }
}
