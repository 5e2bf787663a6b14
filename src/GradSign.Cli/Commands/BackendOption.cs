using System.CommandLine;
using GradSign.Backends;
using GradSign.Backends.Managed;
using GradSign.Backends.TorchSharp;

namespace GradSign.Cli.Commands;

/// <summary><c>--backend</c>: which tensor backend scores (managed, or LibTorch 2.10 through TorchSharp on the CPU).</summary>
internal static class BackendOption
{
    /// <summary>The backend names: the managed backend, LibTorch (NCHW, as the references), LibTorch with channels-last convolutions.</summary>
    public static readonly string[] Names = ["managed", "torchsharp", "torchsharp-channels-last"];

    /// <summary>A fresh <c>--backend</c> option; with <paramref name="several"/> it takes a comma-separated list (bench).</summary>
    public static Option<string> Create(bool several = false) => new("--backend")
    {
        DefaultValueFactory = _ => "managed",
        Description = (several ? "Comma-separated backends to time, each in turn: " : "Tensor backend: ") +
            "managed (default), torchsharp (LibTorch 2.10 via TorchSharp, CPU) or torchsharp-channels-last",
    };

    /// <summary>The backends named in <paramref name="value"/>, in order; throws <see cref="ArgumentException"/> naming a bad one.</summary>
    public static IReadOnlyList<(string Name, ITensorBackend Backend)> Parse(string value, bool several = false)
    {
        var names = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0 || (!several && names.Length > 1) || names.Distinct().Count() != names.Length)
        {
            throw new ArgumentException($"--backend '{value}': give {(several ? "one or more distinct backends" : "one backend")} of {string.Join(", ", Names)}.");
        }

        return [.. names.Select(name => (name, Create(name)))];
    }

    private static ITensorBackend Create(string name)
    {
        try
        {
            return name switch
            {
                "managed" => new ManagedBackend(),
                "torchsharp" => new TorchSharpBackend(),
                "torchsharp-channels-last" => new TorchSharpBackend(new TorchSharpBackendOptions { ChannelsLast = true }),
                _ => throw new ArgumentException($"--backend '{name}' is not one of {string.Join(", ", Names)}."),
            };
        }
        catch (InvalidOperationException ex)
        {
            throw new NotSupportedException($"--backend {name}: {ex.Message}", ex); // LibTorch could not be loaded
        }
    }
}
