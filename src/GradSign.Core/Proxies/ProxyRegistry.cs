using System.Diagnostics.CodeAnalysis;

namespace GradSign.Proxies;

/// <summary>
/// Proxies by id. <see cref="CreateDefault"/> holds the built-ins with their reference options; third parties add
/// their own with <see cref="Register"/>. Registration is explicit (no reflection discovery) and per instance (no
/// global state). Ensembles (<see cref="ProxyEnsemble"/>) are kept apart from the single proxies: they are found by id
/// like any proxy, but listed in <see cref="EnsembleIds"/>/<see cref="Ensembles"/>, not in <see cref="Ids"/>/<see cref="Proxies"/>,
/// because an ensemble has no score of its own for one network.
/// </summary>
/// <threadsafety>Not thread-safe for concurrent registration; lookups may run concurrently once registration is done.</threadsafety>
public sealed class ProxyRegistry
{
    private readonly Dictionary<string, IZeroCostProxy> _proxies = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly List<string> _ensembleOrder = [];

    /// <summary>Ids of the single proxies (every registered proxy but the ensembles), in registration order.</summary>
    public IReadOnlyList<string> Ids => _order;

    /// <summary>The single proxies, in registration order: each scores one network.</summary>
    public IEnumerable<IZeroCostProxy> Proxies => _order.Select(id => _proxies[id]);

    /// <summary>Ids of the registered ensembles, in registration order.</summary>
    public IReadOnlyList<string> EnsembleIds => _ensembleOrder;

    /// <summary>The registered ensembles, in registration order: scored over a population (<see cref="ProxyEnsemble.Aggregate"/>).</summary>
    public IEnumerable<ProxyEnsemble> Ensembles => _ensembleOrder.Select(id => (ProxyEnsemble)_proxies[id]);

    /// <summary>
    /// A registry holding every built-in proxy with its reference options: gradsign, synflow, grasp, snip, naswot,
    /// grad_norm, fisher, jacob_cov, params, flops, zico, zen; and the ensembles vote and logrank.
    /// </summary>
    /// <returns>A new registry.</returns>
    public static ProxyRegistry CreateDefault()
    {
        var registry = new ProxyRegistry();
        registry.Register(new GradSignProxy());
        registry.Register(new SynFlowProxy());
        registry.Register(new GraspProxy());
        registry.Register(new SnipProxy());
        registry.Register(new NaswotProxy());
        registry.Register(new GradNormProxy());
        registry.Register(new FisherProxy());
        registry.Register(new JacobCovProxy());
        registry.Register(new ParamsProxy());
        registry.Register(new FlopsProxy());
        registry.Register(new ZicoProxy());
        registry.Register(new ZenScoreProxy());
        registry.Register(ProxyEnsemble.Vote());
        registry.Register(ProxyEnsemble.LogRankVote());
        return registry;
    }

    /// <summary>Adds a proxy (an ensemble goes to <see cref="Ensembles"/>).</summary>
    /// <param name="proxy">The proxy; its <see cref="IZeroCostProxy.Id"/> must be non-empty lower-case
    /// (<c>a-z</c>, <c>0-9</c>, <c>_</c>, <c>-</c>, starting with a letter) and not registered yet.</param>
    /// <exception cref="ArgumentException">The id is malformed or already registered.</exception>
    public void Register(IZeroCostProxy proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        var id = proxy.Id;
        if (!IsValidId(id))
        {
            throw new ArgumentException($"Proxy id '{id}' is not valid: use lower-case letters, digits, '_' or '-', starting with a letter.", nameof(proxy));
        }

        if (proxy.Requirements is null)
        {
            throw new ArgumentException($"Proxy '{id}' has no requirements.", nameof(proxy));
        }

        if (!_proxies.TryAdd(id, proxy))
        {
            throw new ArgumentException($"A proxy with id '{id}' is already registered.", nameof(proxy));
        }

        (proxy is ProxyEnsemble ? _ensembleOrder : _order).Add(id);
    }

    /// <summary>Looks a proxy up.</summary>
    /// <param name="id">The id.</param>
    /// <param name="proxy">The proxy when found.</param>
    /// <returns>True when found.</returns>
    public bool TryGet(string id, [NotNullWhen(true)] out IZeroCostProxy? proxy)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _proxies.TryGetValue(id, out proxy);
    }

    /// <summary>Gets a proxy by id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The proxy.</returns>
    /// <exception cref="KeyNotFoundException">No such proxy (the message lists the known ids).</exception>
    public IZeroCostProxy Get(string id)
        => TryGet(id, out var proxy) ? proxy : throw new KeyNotFoundException($"Unknown proxy '{id}'. Known: {string.Join(", ", _order.Concat(_ensembleOrder))}.");

    /// <summary>Resolves a comma-separated list of ids (e.g. from a command line), keeping its order.</summary>
    /// <param name="ids">Ids separated by commas; blanks around them are ignored.</param>
    /// <returns>The proxies.</returns>
    /// <exception cref="KeyNotFoundException">An id is unknown.</exception>
    /// <exception cref="ArgumentException">The list is empty or names a proxy twice.</exception>
    public IReadOnlyList<IZeroCostProxy> Resolve(string ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var parts = ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            throw new ArgumentException("No proxy ids given.", nameof(ids));
        }

        if (parts.Distinct(StringComparer.Ordinal).Count() != parts.Length)
        {
            throw new ArgumentException($"Proxy list '{ids}' names a proxy twice.", nameof(ids));
        }

        return [.. parts.Select(Get)];
    }

    private static bool IsValidId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id[0] is < 'a' or > 'z')
        {
            return false;
        }

        foreach (var ch in id)
        {
            if (ch is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
