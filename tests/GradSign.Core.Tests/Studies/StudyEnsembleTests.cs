using System.Text;
using System.Text.Json;
using GradSign.Cli.Results;
using GradSign.Cli.Studies;
using GradSign.Data;
using GradSign.Proxies;
using GradSign.SearchSpaces.NasBench201;
using GradSign.Statistics;
using GradSign.Tests.Data;

namespace GradSign.Tests.Studies;

/// <summary>Ensembles in the correlation study: their members become columns, their lines aggregate those columns.</summary>
public class StudyEnsembleTests
{
    [Fact]
    public void ToRun_EnsembleMembersBecomeColumns_OnlyThoseNotAlreadyThere()
    {
        var requested = ProxyRegistry.CreateDefault().Resolve("zico,snip,vote,logrank");
        var run = StudyScorers.ToRun(requested);
        Assert.Equal(["zico", "snip", "vote"], run.Select(p => p.Id));
        var vote = Assert.IsType<ProxyEnsemble>(run[2]);
        Assert.Equal(["synflow", "jacob_cov"], vote.Members.Select(m => m.Id)); // snip is a column already; logrank adds nothing
        Assert.Equal(["vote", "logrank"], StudyScorers.Ensembles(["zico", "snip", "vote", "logrank"]).Select(e => e.Id));

        // Every member present already: nothing extra runs.
        Assert.Equal(["synflow", "jacob_cov", "snip"], StudyScorers.ToRun(ProxyRegistry.CreateDefault().Resolve("synflow,jacob_cov,snip,vote")).Select(p => p.Id));
    }

    [Fact]
    public void ProxyCellScorer_EnsembleColumns_EqualTheSingleProxiesScores()
    {
        var scored = Scorer("zico,vote").Score(2, SyntheticNasBench201.Arch(2), CancellationToken.None);
        var singles = Scorer("zico,synflow,jacob_cov,snip").Score(2, SyntheticNasBench201.Arch(2), CancellationToken.None);
        Assert.Equal(["zico", "synflow", "jacob_cov", "snip"], Scorer("zico,vote").ProxyIds);
        Assert.Equal(singles.Values, scored.Values);
        Assert.Equal(4, scored.Seconds.Count);
    }

    private static ProxyCellScorer Scorer(string proxies)
    {
        var rng = new GradSign.Internal.SplitMix64(3);
        var pixels = new byte[12 * 768];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)rng.NextInt(256);
        }

        var images = new ImageSet("synthetic", pixels, [.. Enumerable.Range(0, 12).Select(i => i % 5)], 120, 3, 16, 16);
        var sampler = new BatchSampler(images, DatasetKind.ImageNet16, new BatchOptions(BatchSize: 4, Seed: 5));
        static GradSign.Networks.NetworkSpec Spec(string arch)
        {
            var b = new GradSign.Networks.NetworkBuilder(3, 16, 16);
            var x = b.Conv2d(GradSign.Networks.NetworkBuilder.Input, 2 + (arch.Length % 3), kernel: 3, stride: 4, padding: 1, weightName: "conv.weight");
            x = b.Relu(b.BatchNorm(x, "bn"));
            b.Linear(b.GlobalAvgPool(x), 120, "fc");
            return b.Build();
        }

        var run = StudyScorers.ToRun(ProxyRegistry.CreateDefault().Resolve(proxies));
        return new ProxyCellScorer(run, new ProxyContext(new GradSign.Tests.Backends.Reference.ReferenceBackend()), arch => GradSign.SearchSpaces.NasBench201.NasBench201Cell.Parse(arch).ToString(), Spec, sampler, 5, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
    }

    [Fact]
    public void Summary_EnsembleLine_AggregatesItsMemberColumns()
    {
        using var dir = new TempDirectory();
        var table = SyntheticNasBench201.Table(dir, "cifar10valid_split_test", i => $"{50 + ((i * 7) % 25)}");
        var schema = new StudyResultsSchema(["zico", "synflow", "jacob_cov", "snip"], "cifar10valid_split_test");
        double Member(int m, int i) => m == 1 && i == 3 ? double.NaN : Math.Sin((m + 1) * (i + 0.5));
        var rows = table.Rows.Take(25).Select(r => new StudyRow(r.Index, r.Arch, [.. Enumerable.Range(0, 4).Select(m => Member(m, r.Index))], r.Cifar10ValidSplitTest, [0.1, 0.2, 0.3, 0.4])).ToArray();

        var report = StudySummary.Compute(schema, rows, new NasBench201StudyTable(table), DatasetKind.Cifar10, 0, 1, [ProxyEnsemble.Vote(), ProxyEnsemble.LogRankVote()]);

        Assert.Equal(["zico", "synflow", "jacob_cov", "snip", "vote", "logrank"], report.Proxies.Select(p => p.ProxyId));
        var target = rows.Select(r => r.Target).ToArray();
        double[][] members = [.. Enumerable.Range(1, 3).Select(m => rows.Select(r => r.Scores[m]).ToArray())];
        var vote = report.Proxies[4];
        Assert.Equal(24, vote.N); // the row with a NaN synflow is left out
        Assert.Equal(RankCorrelation.Spearman(RankAggregation.Aggregate(RankAggregationMethod.MeanRank, members, NanPolicy.Omit), target, NanPolicy.Omit), vote.Spearman, 14);
        Assert.Equal(RankCorrelation.KendallTau(RankAggregation.Aggregate(RankAggregationMethod.LogRank, members, NanPolicy.Omit), target, KendallVariant.TauB, NanPolicy.Omit), report.Proxies[5].Kendall, 14);
        Assert.Equal(0.9, vote.MeanSeconds, 12);
        Assert.Equal(["synflow", "jacob_cov", "snip"], vote.Members);

        using var text = new StringWriter();
        StudySummary.WriteMarkdown(report, text);
        Assert.Contains("vote: mean rank of synflow, jacob_cov, snip over the 24 cells", text.ToString(), StringComparison.Ordinal);
        using var json = new MemoryStream();
        StudySummary.WriteJson(report, json);
        var logrank = JsonDocument.Parse(json.ToArray()).RootElement.GetProperty("proxies").GetProperty("logrank");
        Assert.Equal("Σ log(rank/n)", logrank.GetProperty("aggregation").GetString());
        Assert.Equal(3, logrank.GetProperty("members").GetArrayLength());

        var missing = new StudyResultsSchema(["zico", "snip"], "cifar10valid_split_test");
        Assert.Throws<InvalidDataException>(() => StudySummary.Compute(missing, [.. rows.Select(r => r with { Scores = r.Scores.Take(2).ToArray() })], new NasBench201StudyTable(table), DatasetKind.Cifar10, 0, 1, [ProxyEnsemble.Vote()]));
    }
}
