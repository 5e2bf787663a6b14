using System.Text.Json;
using GradSign.Backends.Managed;
using GradSign.Cli.Fixtures;
using GradSign.Networks;
using GradSign.Proxies;
using GradSign.SearchSpaces.NasBench201;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Proxies;

/// <summary>
/// GradSign's <see cref="GradSignAggregation.Mean"/> against <c>tests/fixtures/gradsign-mean/expected.json</c>: the
/// GradSign authors' <c>np.nanmean</c> code (AZ-NAS's copy, run unmodified by <c>tools/oracle/gradsign_mean.py</c>) on
/// zero-cost-nas's <c>NAS201Model</c> with the shared oracle fixtures' weights and batches. That model holds every
/// candidate op, so the reference divides by the same weight count for every cell.
/// </summary>
public class GradSignMeanFixtureTests
{
    private static readonly Lazy<JsonElement> s_cases = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedPaths.RepositoryRoot, "tests", "fixtures", "gradsign-mean", "expected.json")))
            .RootElement.GetProperty("cases"));

    public static TheoryData<string> AllCases() => Cases(_ => true);

    // The c16n5 networks take minutes per case on the managed backend; their counts are checked below.
    public static TheoryData<string> SmallCases() => Cases(k => k.StartsWith("fixtures/c8n1", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(SmallCases))]
    public void Mean_OracleFixture_MatchesReferenceNanmean(string key)
    {
        var expected = s_cases.Value.GetProperty(key);
        var fixture = OracleFixture.Load(Path.Combine(SharedPaths.Shared, "oracle", key));
        using var backend = new ManagedBackend();
        var proxy = new GradSignProxy(new GradSignOptions { Aggregation = GradSignAggregation.Mean });

        var actual = proxy.Compute(fixture.Weights, fixture.Batch, new ProxyContext(backend)).Value;

        // Float32 gradients within a few ulps of zero may vote differently in the two pipelines (the fixtures' sums
        // allow max(2, 1e-6·sum) votes); the reference's own float32 mean adds ~1e-7 relative.
        var reference = expected.GetProperty("scored_elements_reference").GetInt64();
        var tolerance = Math.Max(8, 1e-4 * expected.GetProperty("gradsign_sum").GetDouble()) / reference;
        var want = expected.GetProperty("gradsign_mean").GetDouble();
        Assert.True(Math.Abs(actual - want) <= tolerance, $"{key}: {actual:R} vs reference {want:R} (tolerance {tolerance:R})");
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void ZeroCostNasNetwork_CountsTheReferenceModelsWeights(string key)
    {
        var expected = s_cases.Value.GetProperty(key);
        var spec = NasBench201Network.Build(
            expected.GetProperty("arch").GetString()!,
            NasBench201NetworkOptions.Default with
            {
                Channels = expected.GetProperty("C").GetInt32(),
                CellsPerStage = expected.GetProperty("N").GetInt32(),
                NumClasses = expected.GetProperty("num_classes").GetInt32(),
                InputSize = OracleFixture.Load(Path.Combine(SharedPaths.Shared, "oracle", key)).Spec.InputShape[1],
            });

        var executed = spec.Parameters.Where(p => p.IsScored).Sum(p => (long)p.ElementCount);
        Assert.Equal(expected.GetProperty("scored_elements_executed").GetInt64(), executed);
        Assert.Equal(expected.GetProperty("scored_elements_reference").GetInt64(), executed + spec.UnexecutedScoredElements);
    }

    [Fact]
    public void UnexecutedScoredElements_ZeroCostNasIsArchitectureIndependent_OfficialIsZero()
    {
        // zero-cost-nas NAS201Model, C=16, N=5, 10 classes: 1,685,552 conv/linear weight elements for every cell.
        foreach (var arch in new[] { "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|" })
        {
            var zc = NasBench201Network.Build(arch);
            Assert.Equal(1_685_552, zc.Parameters.Where(p => p.IsScored).Sum(p => (long)p.ElementCount) + zc.UnexecutedScoredElements);
            var official = NasBench201Network.Build(arch, NasBench201NetworkOptions.Default with { Variant = NasBench201Variant.Official });
            Assert.Equal(0, official.UnexecutedScoredElements);
        }

        var b = new NetworkBuilder(3, 4, 4);
        b.Linear(b.GlobalAvgPool(NetworkBuilder.Input), 2, "fc");
        Assert.Equal(0, b.Build().UnexecutedScoredElements);
    }

    private static TheoryData<string> Cases(Func<string, bool> include)
    {
        var data = new TheoryData<string>();
        foreach (var c in s_cases.Value.EnumerateObject().Where(c => include(c.Name)))
        {
            data.Add(c.Name);
        }

        return data;
    }
}
