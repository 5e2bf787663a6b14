using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GradSign.Backends;
using GradSign.Networks;
using GradSign.Proxies;
using GradSign.Search;
using GradSign.SearchSpaces.NasBench201;

namespace GradSign.Cli.Commands;

/// <summary>
/// <c>gradsign bench [--space nb201] --arch STR [--arch STR …] --batch 64 --proxies a,b --repeats R [--seed S] [--backend a,b] [--json]</c>:
/// times proxies on NAS-Bench-201 networks (C = 16, N = 5, 32×32, 10 classes; zero-cost-nas flavour) with random
/// weights and a random labelled batch, on each backend in turn (default: managed). Each proxy runs once untimed (warm-up), then
/// <c>R</c> timed times; the median wall-clock time is reported.
/// JSON: <c>{"results":[{"backend":…,"arch":…,"proxy":…,"median_seconds":…,"seconds":[…]}]}</c>.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var space = new Option<string>("--space") { DefaultValueFactory = _ => "nb201", Description = "Search space (nb201, the only one; default nb201)" };
        space.AcceptOnlyFromAmong("nb201");
        var arch = new Option<string[]>("--arch") { Required = true, AllowMultipleArgumentsPerToken = false, Description = "Architecture string; repeat for several" };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 64, Description = "Batch size (default 64)" };
        var proxies = new Option<string>("--proxies") { DefaultValueFactory = _ => ProxyIds.GradSign, Description = "Comma-separated proxy ids (default gradsign)" };
        var repeats = new Option<int>("--repeats") { DefaultValueFactory = _ => 3, Description = "Timed repetitions per proxy (default 3)" };
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => 42UL, Description = "Seed of the random weights and batch (default 42)" };
        var json = CommonOptions.Json();
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => -1, Description = "Most threads the backend may use (default -1: all cores)" };
        var backend = BackendOption.Create(several: true);
        var command = new Command("bench", "Time proxies on NAS-Bench-201 networks with random weights and data")
        {
            space, arch, batch, proxies, repeats, seed, json, backend, threads,
        };
        command.SetAction(parse =>
        {
            var batchSize = parse.GetValue(batch);
            var repeatCount = parse.GetValue(repeats);
            if (batchSize < 1)
            {
                throw new ArgumentException($"--batch must be positive, got {batchSize}.");
            }

            var input = NasBench201NetworkOptions.Default.InputSize;
            if ((long)batchSize * 3 * input * input > Array.MaxLength)
            {
                throw new ArgumentException($"--batch {batchSize} is too large: the batch would hold {(long)batchSize * 3 * input * input:N0} values; at most {Array.MaxLength:N0} fit one array.");
            }

            if (repeatCount < 1)
            {
                throw new ArgumentException($"--repeats must be positive, got {repeatCount}.");
            }

            var cells = parse.GetValue(arch)!.Select(a =>
            {
                try
                {
                    return (Arch: a, Cell: NasBench201Cell.Parse(a));
                }
                catch (FormatException ex)
                {
                    throw new FormatException($"--arch: {ex.Message}", ex);
                }
            }).ToList();
            var selected = CliProxies.Create().Resolve(parse.GetValue(proxies)!);
            var results = new List<BenchResult>();
            foreach (var b in BackendOption.Parse(parse.GetValue(backend)!, several: true))
            {
                try
                {
                    results.AddRange(Measure(cells, selected, batchSize, repeatCount, parse.GetValue(seed), b.Backend, parse.GetValue(threads)).Select(r => r with { Backend = b.Name }));
                }
                finally
                {
                    (b.Backend as IDisposable)?.Dispose();
                }
            }

            Print(parse.InvocationConfiguration.Output, results, parse.GetValue(json));
            return 0;
        });
        return command;
    }

    /// <summary>One timing result.</summary>
    internal sealed record BenchResult(string Arch, string Proxy, double MedianSeconds, IReadOnlyList<double> Seconds, double Value)
    {
        /// <summary>The <c>--backend</c> name that ran it.</summary>
        public string Backend { get; init; } = "managed";
    }

    /// <summary>Times every proxy on every architecture.</summary>
    internal static List<BenchResult> Measure(IReadOnlyList<(string Arch, NasBench201Cell Cell)> cells, IReadOnlyList<IZeroCostProxy> proxies, int batchSize, int repeats, ulong seed, ITensorBackend backend, int threads = -1)
    {
        var context = new ProxyContext(backend) { MaxDegreeOfParallelism = threads };
        var results = new List<BenchResult>();
        var options = NasBench201NetworkOptions.Default;
        var batch = RandomBatch(batchSize, 3, options.InputSize, options.NumClasses, seed);
        foreach (var (arch, cell) in cells)
        {
            var weights = NetworkWeights.Initialize(NasBench201Network.Build(cell, options), seed, cell.Key);
            foreach (var proxy in proxies)
            {
                var value = proxy.Compute(weights, batch, context).Value; // warm-up (JIT, buffers)
                var seconds = new double[repeats];
                for (var r = 0; r < repeats; r++)
                {
                    var clock = Stopwatch.StartNew();
                    proxy.Compute(weights, batch, context);
                    seconds[r] = clock.Elapsed.TotalSeconds;
                }

                var sorted = seconds.Order().ToArray();
                var median = repeats % 2 == 1 ? sorted[repeats / 2] : 0.5 * (sorted[(repeats / 2) - 1] + sorted[repeats / 2]);
                results.Add(new BenchResult(arch, proxy.Id, median, seconds, value));
            }
        }

        return results;
    }

    /// <summary>A batch of N(0, 1) pixels and uniform labels.</summary>
    internal static Batch RandomBatch(int count, int channels, int size, int classes, ulong seed)
    {
        var rng = new SearchRandom((seed << 1) | 1);
        var images = new float[count * channels * size * size];
        for (var i = 0; i < images.Length; i++)
        {
            images[i] = (float)rng.NextGaussian();
        }

        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = rng.NextInt(classes);
        }

        return new Batch(images, labels, count, channels, size, size);
    }

    private static void Print(TextWriter output, IReadOnlyList<BenchResult> results, bool json)
    {
        if (!json)
        {
            foreach (var r in results)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Backend}\t{r.Proxy}\t{r.MedianSeconds:F4} s\t{r.Arch}"));
            }

            return;
        }

        output.WriteLine(CliJson.Build(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("results");
            foreach (var r in results)
            {
                w.WriteStartObject();
                w.WriteString("backend", r.Backend);
                w.WriteString("arch", r.Arch);
                w.WriteString("proxy", r.Proxy);
                w.WriteNumber("median_seconds", r.MedianSeconds);
                w.WriteStartArray("seconds");
                foreach (var s in r.Seconds)
                {
                    w.WriteNumberValue(s);
                }

                w.WriteEndArray();
                CliJson.WriteNumber(w, "value", r.Value);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }));
    }
}
