using System.Diagnostics;
using GradSign.Backends;
using GradSign.Data;
using GradSign.Networks;
using GradSign.Statistics;

namespace GradSign.Proxies;

/// <summary>
/// Several proxies scored together on one network, sharing work where they can, and combined over a population of
/// networks by rank aggregation (<see cref="RankAggregation"/>): <see cref="Vote"/> is zero-cost-nas's synflow +
/// jacob_cov + snip ensemble as a mean rank, <see cref="LogRankVote"/> the same members with AZ-NAS's Σ log(rank/n).
/// </summary>
/// <remarks>
/// <para>An ensemble's score is defined only over a population: ranks need other networks. <see cref="Compute"/>
/// therefore returns NaN as the value and the members' scores in <see cref="ProxyScore.Members"/>;
/// <see cref="Aggregate"/> turns the members' score columns of a population into the ensemble's scores.</para>
/// <para>Shared work: members that can run on a network compiled by someone else are grouped by the execution
/// options they compile with, and each group compiles one network (the managed backend then runs their common
/// batch-statistics forward once: SNIP, grad_norm, GraSP, jacob_cov and NASWOT share it). SNIP and grad_norm also
/// share one backward pass, each reducing the same gradients. Every other member computes on its own.</para>
/// </remarks>
public sealed class ProxyEnsemble : IZeroCostProxy
{
    private readonly IZeroCostProxy[] _members;

    /// <summary>Creates an ensemble.</summary>
    /// <param name="id">Its id (the registry's id rules apply when it is registered).</param>
    /// <param name="aggregation">How the members' ranks are combined.</param>
    /// <param name="members">The members: at least one, distinct ids, no ensembles.</param>
    /// <exception cref="ArgumentException">No member, a repeated id, a nested ensemble, or an empty id.</exception>
    public ProxyEnsemble(string id, RankAggregationMethod aggregation, IReadOnlyList<IZeroCostProxy> members)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(members);
        if (aggregation is not (RankAggregationMethod.MeanRank or RankAggregationMethod.LogRank))
        {
            throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, "Unknown RankAggregationMethod.");
        }

        if (members.Count == 0)
        {
            throw new ArgumentException($"Ensemble '{id}' has no members.", nameof(members));
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in members)
        {
            ArgumentNullException.ThrowIfNull(m, nameof(members));
            if (m is ProxyEnsemble)
            {
                throw new ArgumentException($"Ensemble '{id}' cannot contain the ensemble '{m.Id}'; list its members instead.", nameof(members));
            }

            if (!ids.Add(m.Id))
            {
                throw new ArgumentException($"Ensemble '{id}' lists proxy '{m.Id}' twice.", nameof(members));
            }
        }

        Id = id;
        Aggregation = aggregation;
        _members = [.. members];
        Requirements = new ProxyRequirements(
            _members.Any(m => m.Requirements.NeedsLabels),
            _members.Aggregate(BackendCapabilities.None, (c, m) => c | m.Requirements.Capabilities));
    }

    /// <summary>
    /// zero-cost-nas's "vote" members (synflow, jacob_cov, snip; <c>notebooks/nasbench201_correlations.ipynb</c>) combined
    /// by mean rank, id <c>vote</c>.
    /// </summary>
    /// <returns>A new ensemble.</returns>
    public static ProxyEnsemble Vote() => new(ProxyIds.Vote, RankAggregationMethod.MeanRank, VoteMembers());

    /// <summary>The same members as <see cref="Vote"/> combined by AZ-NAS's Σ log(rank/n), id <c>logrank</c>.</summary>
    /// <returns>A new ensemble.</returns>
    public static ProxyEnsemble LogRankVote() => new(ProxyIds.LogRank, RankAggregationMethod.LogRank, VoteMembers());

    /// <inheritdoc />
    public string Id { get; }

    /// <summary>How the members' ranks are combined.</summary>
    public RankAggregationMethod Aggregation { get; }

    /// <summary>The members, in order.</summary>
    public IReadOnlyList<IZeroCostProxy> Members => _members;

    /// <inheritdoc />
    public ProxyRequirements Requirements { get; }

    /// <summary>Scores the network with every member; the value is NaN (see the remarks), the members' scores are in <see cref="ProxyScore.Members"/>.</summary>
    /// <inheritdoc />
    public ProxyScore Compute(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default)
        => new(Id, double.NaN) { Members = ComputeMembers(weights, batch, context, cancellationToken) };

    /// <summary>Scores the network with every member, sharing passes (see the remarks), each member timed.</summary>
    /// <param name="weights">The network and its weights.</param>
    /// <param name="batch">The batch.</param>
    /// <param name="context">Backend and settings.</param>
    /// <param name="cancellationToken">Checked between members (and by them).</param>
    /// <returns>One score per member, in member order, each with its time in <see cref="ProxyScore.Elapsed"/>. A pass
    /// several members share is timed once, under the first member that uses it (compiling a shared network included).
    /// A member that throws ends the call with its exception.</returns>
    public IReadOnlyList<ProxyScore> ComputeMembers(NetworkWeights weights, Batch batch, ProxyContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(context);
        var results = new ProxyScore?[_members.Length];
        SharedPassSchedule.Run(_members, weights, batch, context, (i, score) => results[i] = score, cancellationToken);
        return [.. results.Select(r => r!)];
    }

    /// <summary>The ensemble's scores of a population from its members' scores.</summary>
    /// <param name="memberScores">One array per member, in member order, one value per network (all the same length).</param>
    /// <param name="nanPolicy">NaN handling (<see cref="RankAggregation"/>); default <see cref="NanPolicy.Omit"/>: a network
    /// with a NaN member score gets NaN, the others are ranked among themselves.</param>
    /// <returns>One score per network; larger is better.</returns>
    /// <exception cref="ArgumentException">Not one array per member, or arrays of different lengths.</exception>
    public double[] Aggregate(IReadOnlyList<double[]> memberScores, NanPolicy nanPolicy = NanPolicy.Omit)
    {
        ArgumentNullException.ThrowIfNull(memberScores);
        if (memberScores.Count != _members.Length)
        {
            throw new ArgumentException($"Ensemble '{Id}' has {_members.Length} members but {memberScores.Count} score arrays were given.", nameof(memberScores));
        }

        return RankAggregation.Aggregate(Aggregation, [.. memberScores], nanPolicy);
    }

    private static IZeroCostProxy[] VoteMembers() => [new SynFlowProxy(), new JacobCovProxy(), new SnipProxy()];
}
