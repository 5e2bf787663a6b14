using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GradSign.Data;
using GradSign.Networks;
using GradSign.Proxies;
using GradSign.SearchSpaces.NasBench101;
using GradSign.SearchSpaces.NasBench201;

namespace GradSign.Cli.Commands;

/// <summary>
/// <c>gradsign score</c>: builds one network and prints proxy scores.
/// <code>
/// gradsign score --space nb201 --variant official --classes 10 --arch '|nor_conv_3x3~0|+...' --proxies params,flops --json
/// gradsign score --space nb101 --spec '{"matrix":[[0,1],[0,0]],"ops":["input","output"]}' --proxies params --json
/// gradsign score --space nb201 --arch '|nor_conv_3x3~0|+...' --dataset cifar10 --batch 64 --seed 1 --json
/// </code>
/// prints <c>{"proxies":{"params":N,"flops":M}}</c> (non-finite values as "NaN"/"Infinity"/"-Infinity"). Malformed
/// input exits 2 with a message naming the bad option.
/// </summary>
/// <remarks>
/// <see cref="ScoreRequest"/> holds the parsed options and <see cref="Print"/> writes the result. Three sources:
/// <c>--fixture DIR</c> (<see cref="ScoreFixture"/>: an oracle case's network, weights and batch);
/// <c>--dataset</c> (<see cref="ScoreDataset"/>: an nb201 cell on real images, weights from <c>--seed</c>, any built-in
/// proxy via the registry on the <c>--backend</c>, default all); otherwise the data-free proxies (params, flops) of
/// <see cref="BuildNetwork"/>'s network, computed by <see cref="Compute"/> without a backend.
/// </remarks>
internal static class ScoreCommand
{
    /// <summary>Proxy ids this command can compute without data or a backend.</summary>
    private static readonly string[] Supported = [ProxyIds.Params, ProxyIds.Flops];

    /// <summary>Parsed command line. Nullable values were not given.</summary>
    internal sealed record ScoreRequest(
        string Space,
        string? Variant,
        string? Arch,
        string? Spec,
        int? Classes,
        int? InputSize,
        int? Channels,
        int? Cells,
        int? Stem,
        int? Stacks,
        int? CellsPerStack,
        IReadOnlyList<string> Proxies,
        bool Json);

    /// <summary>The <c>--dataset</c> options of a request; nullable values were not given.</summary>
    internal sealed record DatasetOptions(string Dataset, string? Pipeline, int? Batch, ulong? Seed, string? Proxies, string? Data);

    public static Command Create()
    {
        var space = new Option<string>("--space") { Description = "Search space: nb201 or nb101 (required unless --fixture is given)" };
        var fixture = new Option<string?>("--fixture") { Description = "Score an oracle fixture case folder (its network, weights and batch) with every proxy its manifest lists" };
        space.AcceptOnlyFromAmong("nb201", "nb101");
        var variant = new Option<string?>("--variant") { Description = "nb201 network flavour: zerocostnas (default; zero-cost-nas NAS201Model) or official (AutoDL TinyNetwork)" };
        variant.AcceptOnlyFromAmong("zerocostnas", "official");
        var arch = new Option<string?>("--arch") { Description = "nb201 architecture string, e.g. '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|'" };
        var spec = new Option<string?>("--spec") { Description = "nb101 cell as JSON: '{\"matrix\":[[...]],\"ops\":[\"input\",...,\"output\"]}'" };
        var classes = new Option<int?>("--classes") { Description = "Number of classes (default 10; nb201 also 100, 120); set by --dataset when given" };
        var inputSize = new Option<int?>("--input-size") { Description = "Input height and width (default 32; 16 for ImageNet16-120); set by --dataset when given" };
        var channels = new Option<int?>("--channels") { Description = "nb201 stem channels C (default 16; smaller only for quick checks)" };
        var cells = new Option<int?>("--cells") { Description = "nb201 cells per stage N (default 5; smaller only for quick checks)" };
        var stem = new Option<int?>("--stem") { Description = "nb101 stem channels (default 128)" };
        var stacks = new Option<int?>("--stacks") { Description = "nb101 stacks (default 3)" };
        var cellsPerStack = new Option<int?>("--cells-per-stack") { Description = "nb101 cells per stack (default 3)" };
        var proxies = new Option<string>("--proxies") { DefaultValueFactory = _ => ProxyIds.Params, Description = "Comma-separated proxy ids. Without --dataset: params, flops (multiply-accumulates per sample), default params; with --dataset: any built-in proxy, default all" };
        var dataset = new Option<string?>("--dataset") { Description = "Score on real images: cifar10 | cifar100 | imagenet16-120 (nb201 only; sets classes and input size)" };
        var batch = new Option<int?>("--batch") { Description = "With --dataset: images per batch (default 64)" };
        var seed = new Option<ulong?>("--seed") { Description = "With --dataset: seed of the batch and the weights (default 42)" };
        var pipeline = new Option<string?>("--pipeline") { Description = "With --dataset: zerocostnas (default; augmented batch per cell) | naswot (one plain batch)" };
        pipeline.AcceptOnlyFromAmong("zerocostnas", "naswot");
        var data = CommonOptions.Data();
        var json = CommonOptions.Json();
        var backend = BackendOption.Create();
        var command = new Command("score", "Build one NAS-Bench-201/101 network and print proxy scores")
        {
            space, fixture, variant, arch, spec, classes, inputSize, channels, cells, stem, stacks, cellsPerStack, proxies,
            dataset, batch, seed, pipeline, data, json, backend,
        };
        command.SetAction(parse =>
        {
            var listed = parse.GetResult(proxies) is { Implicit: false } ? parse.GetValue(proxies) : null;
            var datasetId = parse.GetValue(dataset);
            if (datasetId is null)
            {
                Reject(parse.GetValue(batch), "--batch", "--dataset");
                Reject(parse.GetValue(seed), "--seed", "--dataset");
                Reject(parse.GetValue(pipeline), "--pipeline", "--dataset");
                Reject(parse.GetValue(data), "--data", "--dataset");
            }

            if (parse.GetValue(fixture) is { } fixtureDirectory)
            {
                if (parse.GetValue(space) is not null)
                {
                    throw new ArgumentException("--fixture and --space are exclusive: a fixture defines its own network.");
                }

                Reject(datasetId, "--dataset", "--space nb201 (a fixture brings its own batch)");
                return ScoreFixture.Run(fixtureDirectory, listed, parse.GetValue(json), BackendOption.Parse(parse.GetValue(backend)!)[0].Backend, parse.InvocationConfiguration.Output);
            }

            if (parse.GetValue(space) is null)
            {
                throw new ArgumentException("--space is required (nb201 or nb101), or give --fixture DIR.");
            }

            var request = new ScoreRequest(
                parse.GetValue(space)!,
                parse.GetValue(variant),
                parse.GetValue(arch),
                parse.GetValue(spec),
                parse.GetValue(classes),
                parse.GetValue(inputSize),
                parse.GetValue(channels),
                parse.GetValue(cells),
                parse.GetValue(stem),
                parse.GetValue(stacks),
                parse.GetValue(cellsPerStack),
                datasetId is null ? ParseProxyList(parse.GetValue(proxies) ?? string.Empty) : [],
                parse.GetValue(json));
            IReadOnlyList<(string Id, double Value)> scores;
            if (datasetId is not null)
            {
                var options = new DatasetOptions(datasetId, parse.GetValue(pipeline), parse.GetValue(batch), parse.GetValue(seed), listed, parse.GetValue(data));
                scores = ScoreDataset.Run(ToDatasetRequest(request, options), BackendOption.Parse(parse.GetValue(backend)!)[0].Backend);
            }
            else
            {
                var network = BuildNetwork(request);
                scores = [.. request.Proxies.Select(id => (id, Compute(id, network)))];
            }

            Print(parse.InvocationConfiguration.Output, scores, request.Json);
            return 0;
        });
        return command;
    }

    /// <summary>Splits and checks <c>--proxies</c> (data-free path).</summary>
    internal static IReadOnlyList<string> ParseProxyList(string value)
    {
        var ids = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length == 0)
        {
            throw new ArgumentException("--proxies is empty; give a comma-separated list, e.g. params,flops.");
        }

        foreach (var id in ids)
        {
            if (!Supported.Contains(id, StringComparer.Ordinal))
            {
                throw new ArgumentException($"--proxies: '{id}' needs data; add --dataset, or use one of: {string.Join(", ", Supported)}.");
            }
        }

        if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Length)
        {
            throw new ArgumentException($"--proxies lists a proxy twice: '{value}'.");
        }

        return ids;
    }

    /// <summary>Checks and completes a <c>--dataset</c> request; errors name the option at fault.</summary>
    internal static ScoreDataset.Request ToDatasetRequest(ScoreRequest r, DatasetOptions d)
    {
        if (r.Space != "nb201")
        {
            throw new ArgumentException($"--dataset supports --space nb201 only, got --space {r.Space}.");
        }

        if (r.Classes is not null || r.InputSize is not null)
        {
            throw new ArgumentException($"{(r.Classes is not null ? "--classes" : "--input-size")} cannot be combined with --dataset: the dataset sets classes and input size.");
        }

        DatasetKind kind;
        try
        {
            kind = DatasetKinds.Parse(d.Dataset);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"--dataset: {ex.Message}", ex);
        }

        var (cell, options) = NasBench201Parts(r);
        return new ScoreDataset.Request(
            cell,
            options.Variant,
            options.Channels,
            options.CellsPerStage,
            kind,
            d.Pipeline == "naswot" ? BatchPipeline.Naswot : BatchPipeline.ZeroCostNas,
            d.Batch ?? 64,
            d.Seed ?? 42UL,
            d.Proxies,
            d.Data);
    }

    /// <summary>Builds the network a request describes; errors name the option at fault.</summary>
    internal static NetworkSpec BuildNetwork(ScoreRequest r)
    {
        if (r.Space == "nb201")
        {
            var (cell, options) = NasBench201Parts(r);
            return CommonOptions.WithOptionNames(() => NasBench201Network.Build(cell, options));
        }

        CheckPositive(r);
        Reject(r.Arch, "--arch", "--space nb201");
        Reject(r.Variant, "--variant", "--space nb201");
        Reject(r.Channels, "--channels", "--space nb201");
        Reject(r.Cells, "--cells", "--space nb201");
        if (r.Spec is null)
        {
            throw new ArgumentException("--space nb101 needs --spec '{\"matrix\":[[...]],\"ops\":[\"input\",...,\"output\"]}'.");
        }

        ModelSpec model;
        try
        {
            model = ModelSpec.ParseJson(r.Spec);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new FormatException($"--spec: {ex.Message}", ex);
        }

        var nb101 = new NasBench101NetworkOptions(
            StemChannels: r.Stem ?? 128,
            Stacks: r.Stacks ?? 3,
            CellsPerStack: r.CellsPerStack ?? 3,
            NumClasses: r.Classes ?? 10,
            InputSize: r.InputSize ?? 32);
        return CommonOptions.WithOptionNames(() => NasBench101Network.Build(model, nb101));
    }

    /// <summary>The nb201 cell and network options of a request; errors name the option at fault.</summary>
    private static (NasBench201Cell Cell, NasBench201NetworkOptions Options) NasBench201Parts(ScoreRequest r)
    {
        CheckPositive(r);
        Reject(r.Spec, "--spec", "--space nb101");
        Reject(r.Stem, "--stem", "--space nb101");
        Reject(r.Stacks, "--stacks", "--space nb101");
        Reject(r.CellsPerStack, "--cells-per-stack", "--space nb101");
        if (r.Arch is null)
        {
            throw new ArgumentException("--space nb201 needs --arch '|op~0|+|op~0|op~1|+|op~0|op~1|op~2|'.");
        }

        NasBench201Cell cell;
        try
        {
            cell = NasBench201Cell.Parse(r.Arch);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"--arch: {ex.Message}", ex);
        }

        var options = new NasBench201NetworkOptions(
            Channels: r.Channels ?? 16,
            CellsPerStage: r.Cells ?? 5,
            NumClasses: r.Classes ?? 10,
            InputSize: r.InputSize ?? 32,
            Variant: r.Variant == "official" ? NasBench201Variant.Official : NasBench201Variant.ZeroCostNas);
        CommonOptions.WithOptionNames(() =>
        {
            options.Validate();
            return options;
        });
        return (cell, options);
    }

    private static void CheckPositive(ScoreRequest r)
    {
        foreach (var (name, value) in new[] { ("--classes", r.Classes), ("--input-size", r.InputSize), ("--channels", r.Channels), ("--cells", r.Cells), ("--stem", r.Stem), ("--stacks", r.Stacks), ("--cells-per-stack", r.CellsPerStack) })
        {
            if (value is < 1)
            {
                throw new ArgumentException($"{name} must be a positive integer, got {value}.");
            }
        }
    }

    /// <summary>Evaluates one data-free proxy.</summary>
    internal static double Compute(string id, NetworkSpec network) => id switch
    {
        ProxyIds.Params => NetworkCost.Parameters(network),
        ProxyIds.Flops => NetworkCost.MultiplyAccumulates(network),
        _ => throw new ArgumentException($"--proxies: '{id}' is not supported by 'score' yet."),
    };

    /// <summary>Writes <c>{"proxies":{id:value,...}}</c> (JSON) or one <c>id value</c> line per proxy.</summary>
    internal static void Print(TextWriter output, IReadOnlyList<(string Id, double Value)> scores, bool json)
    {
        if (!json)
        {
            foreach (var (id, value) in scores)
            {
                output.WriteLine($"{id}\t{value.ToString("R", CultureInfo.InvariantCulture)}");
            }

            return;
        }

        output.WriteLine(CliJson.Build(
            w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("proxies");
                foreach (var (id, value) in scores)
                {
                    CliJson.WriteNumber(w, id, value);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            },
            default));
    }

    private static void Reject<T>(T? value, string option, string where)
    {
        if (value is not null)
        {
            throw new ArgumentException($"{option} applies to {where} only.");
        }
    }
}
