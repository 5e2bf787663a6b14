using GradSign.Proxies;

namespace GradSign.Cli.Commands;

/// <summary>
/// The proxies the command line knows by id: the library's built-ins (<see cref="ProxyRegistry.CreateDefault"/>) and
/// variants a study names explicitly, such as <c>gradsign_mean</c>. <c>--proxies all</c> and <c>score</c>'s default
/// stay the built-ins.
/// </summary>
internal static class CliProxies
{
    /// <summary>A registry of the built-ins plus GradSign's <see cref="GradSignAggregation.Mean"/> variant.</summary>
    /// <returns>A new registry.</returns>
    public static ProxyRegistry Create()
    {
        var registry = ProxyRegistry.CreateDefault();
        registry.Register(new GradSignProxy(new GradSignOptions { Aggregation = GradSignAggregation.Mean }));
        return registry;
    }
}
