using GradSign.Cli.Results;
using GradSign.Data;
using GradSign.SearchSpaces.NasBench101;
using GradSign.SearchSpaces.NasBench201;

namespace GradSign.Cli.Studies;

/// <summary>Which NAS-Bench-201 network implementation is scored.</summary>
internal enum Nb201Variant
{
    /// <summary>zero-cost-nas's <c>NAS201Model</c> (all 5 ops on every edge, non-affine cell BN, conv biases) — what the published ρ used.</summary>
    ZeroCostNas,

    /// <summary>The official AutoDL <c>TinyNetwork</c> (only the chosen ops, affine BN, no conv bias) — what NASWOT used.</summary>
    Official,
}

/// <summary>The search space of a correlation study (<c>--space</c>).</summary>
internal enum StudySpace
{
    /// <summary>NAS-Bench-201: the 15,625 cells of its table.</summary>
    Nb201,

    /// <summary>NAS-Bench-101: the distinct cells of the NAS-Bench-Suite-Zero sample (<see cref="NasBench101StudyTable"/>).</summary>
    Nb101,
}

/// <summary>Everything <c>gradsign correlate</c> was asked to do. Immutable.</summary>
/// <param name="Dataset">Dataset of the batches and of the default target.</param>
/// <param name="Proxies">Proxy ids, in column order.</param>
/// <param name="SampleSize">Cells to sample; null = all (15,625 for NAS-Bench-201, 292 for the NAS-Bench-101 sample).</param>
/// <param name="BatchSize">Images per batch.</param>
/// <param name="Seed">Seed of the sample, the batches and the weights.</param>
/// <param name="Variant">NAS-Bench-201 network implementation (ignored for NAS-Bench-101).</param>
/// <param name="Pipeline">Batch pipeline.</param>
/// <param name="Target">Target column.</param>
/// <param name="OutputPath">Results CSV.</param>
/// <param name="DataFolder">Resolved data folder.</param>
internal sealed record CorrelateSettings(
    DatasetKind Dataset, IReadOnlyList<string> Proxies, int? SampleSize, int BatchSize, ulong Seed, Nb201Variant Variant, BatchPipeline Pipeline,
    string Target, string OutputPath, string DataFolder)
{
    /// <summary>Search space (<c>--space</c>).</summary>
    public StudySpace Space { get; init; } = StudySpace.Nb201;

    /// <summary>NAS-Bench-101 stem channels (<c>--stem</c>; 128 in the benchmark).</summary>
    public int Stem { get; init; } = 128;

    /// <summary>NAS-Bench-101 stacks (<c>--stacks</c>; 3).</summary>
    public int Stacks { get; init; } = 3;

    /// <summary>NAS-Bench-101 cells per stack (<c>--cells-per-stack</c>; 3).</summary>
    public int CellsPerStack { get; init; } = 3;

    /// <summary>Shard of the sample.</summary>
    public ShardSpec Shard { get; init; } = ShardSpec.All;

    /// <summary>Continue an existing output.</summary>
    public bool Resume { get; init; }

    /// <summary>Where to write the JSON summary (<c>--summary</c>), or null.</summary>
    public string? SummaryPath { get; init; }

    /// <summary>Print the summary as JSON instead of Markdown (<c>--json</c>).</summary>
    public bool Json { get; init; }

    /// <summary>Where to draw the study's figures, or null.</summary>
    public string? PlotsFolder { get; init; }

    /// <summary>Bootstrap resamples for the intervals.</summary>
    public int BootstrapSamples { get; init; } = 1000;

    /// <summary>Cell channels C of the NB201 skeleton (16 in the benchmark; smaller only for quick tests).</summary>
    public int Channels { get; init; } = 16;

    /// <summary>Cells per stage N (5 in the benchmark; smaller only for quick tests).</summary>
    public int CellsPerStage { get; init; } = 5;

    /// <summary>Backend threads; −1 = all cores.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>The id of <see cref="Space"/> (<c>nb201</c>, <c>nb101</c>).</summary>
    public string SpaceId => Space == StudySpace.Nb101 ? "nb101" : "nb201";

    /// <summary>The NAS-Bench-101 network every cell is built into: stem, stacks, cells per stack, the dataset's classes and image size.</summary>
    /// <returns>The options (not yet validated).</returns>
    public NasBench101NetworkOptions Nb101NetworkOptions() => new(Stem, Stacks, CellsPerStack, Dataset.ClassCount(), Dataset.ImageSize());

    /// <summary>The NAS-Bench-201 network every cell is built into: C, N, the dataset's classes and image size, the variant.</summary>
    /// <returns>The options (not yet validated).</returns>
    public NasBench201NetworkOptions NetworkOptions() => new(
        Channels,
        CellsPerStage,
        Dataset.ClassCount(),
        Dataset.ImageSize(),
        Variant == Nb201Variant.Official ? NasBench201Variant.Official : NasBench201Variant.ZeroCostNas);

    /// <summary>
    /// The settings recorded in the results file and compared on <c>--resume</c> and <c>merge</c>: everything that changes a
    /// cell's scores (not the sample, shard or thread count, which change only which cells are scored and how fast). The
    /// space's network options: NAS-Bench-201's <c>variant</c>, <c>channels</c>, <c>cells</c>; NAS-Bench-101's <c>stem</c>,
    /// <c>stacks</c>, <c>cells_per_stack</c>.
    /// </summary>
    /// <param name="backend">The backend's name (backends round differently).</param>
    /// <returns>The settings, with the build as an informational entry.</returns>
    public StudySettings ToStudySettings(string backend)
    {
        static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var values = new Dictionary<string, string>
        {
            ["space"] = SpaceId,
            ["dataset"] = Dataset.ToId(),
            ["pipeline"] = Pipeline == BatchPipeline.Naswot ? "naswot" : "zerocostnas",
            ["batch"] = Text(BatchSize),
            ["seed"] = Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["precision"] = "float32",
            ["backend"] = backend,
            [StudySettings.InformationalPrefix + "build"] = BuildVersion,
        };
        if (Space == StudySpace.Nb101)
        {
            (values["stem"], values["stacks"], values["cells_per_stack"]) = (Text(Stem), Text(Stacks), Text(CellsPerStack));
        }
        else
        {
            values["variant"] = Variant == Nb201Variant.Official ? "official" : "zerocostnas";
            (values["channels"], values["cells"]) = (Text(Channels), Text(CellsPerStage));
        }

        return new StudySettings(values);
    }

    /// <summary>This program's version and commit (the assembly's informational version).</summary>
    public static string BuildVersion { get; } =
        typeof(CorrelateSettings).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";
}
