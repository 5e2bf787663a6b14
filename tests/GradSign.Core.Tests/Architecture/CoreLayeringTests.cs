using GradSign.Backends;
using GradSign.Tests.Statistics;

namespace GradSign.Tests.Architecture;

/// <summary>The shape of GradSign.Core: its folders (namespaces GradSign.X) depend on each other without a cycle, and
/// the assembly references only the three packages it is allowed.</summary>
public class CoreLayeringTests
{
    private static string Folder(string ns)
    {
        var parts = ns.Split('.');
        return parts.Length > 1 ? parts[1] : parts[0];
    }

    /// <summary>Folder → the folders its types use (IL bodies included), from the compiled assembly.</summary>
    private static Dictionary<string, SortedSet<string>> FolderGraph()
    {
        var graph = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var type in typeof(ITensorBackend).Assembly.GetTypes().Where(t => t.Namespace?.StartsWith("GradSign.", StringComparison.Ordinal) == true))
        {
            var from = Folder(type.Namespace!);
            var edges = graph.TryGetValue(from, out var set) ? set : graph[from] = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var (used, _) in NamespaceDependencyScanner.References(type))
            {
                if (used.Namespace?.StartsWith("GradSign.", StringComparison.Ordinal) == true && Folder(used.Namespace) != from)
                {
                    edges.Add(Folder(used.Namespace));
                }
            }
        }

        return graph;
    }

    [Fact]
    public void CoreFolders_HaveNoDependencyCycle()
    {
        var graph = FolderGraph();
        Assert.Contains("Backends", graph.Keys);
        Assert.Contains("Backends", graph["Proxies"]); // the graph is not empty by accident

        // Depth-first search; a grey node reached again closes a cycle.
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new Stack<string>();
        string? Visit(string node)
        {
            state[node] = 1;
            path.Push(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return string.Join(" -> ", path.Reverse().SkipWhile(n => n != next).Append(next));
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.Pop();
            state[node] = 2;
            return null;
        }

        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle)
            {
                Assert.Fail($"Folder cycle in GradSign.Core: {cycle}");
            }
        }
    }

    [Fact]
    public void Core_ReferencesOnlyTensorsMathNetAndLoggingAbstractions()
    {
        string[] allowed = ["System.Numerics.Tensors", "MathNet.Numerics", "Microsoft.Extensions.Logging.Abstractions"];
        var references = typeof(ITensorBackend).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => !n.StartsWith("System.", StringComparison.Ordinal) && n is not ("System" or "mscorlib" or "netstandard"))
            .ToList();
        Assert.All(references, n => Assert.Contains(n, allowed));
    }
}
