using System.Diagnostics;
using GradSign.Backends;
using GradSign.Data;
using GradSign.Networks;

namespace GradSign.Proxies;

/// <summary>
/// Scores one network and batch with several proxies, sharing work where they can. Members that can run on a network
/// compiled by someone else (<see cref="ISharedPassProxy"/>) are grouped by the execution options they compile with,
/// and each group compiles one network, on which a backend that keeps the last batch-statistics forward (the managed
/// one) runs that forward once for the group. Within a group, gradient reductions of one objective (SNIP, grad_norm)
/// share one backward pass and run first; GradSign's sum and mean share one per-sample vote pass and run last, since
/// per-sample passes replace the held forward the others share. Every other member computes on its own, after the groups.
/// </summary>
internal static class SharedPassSchedule
{
    /// <summary>Scores the network with every member.</summary>
    /// <param name="members">The proxies (distinct ids).</param>
    /// <param name="weights">The network and its weights.</param>
    /// <param name="batch">The batch.</param>
    /// <param name="context">Backend and settings.</param>
    /// <param name="completed">Called as each member completes, with its index in <paramref name="members"/> and its score,
    /// timed: a pass several members share is timed once, under the first member that uses it (compiling a shared
    /// network included).</param>
    /// <param name="cancellationToken">Checked between members (and by them).</param>
    /// <remarks>Every shared member's arguments are checked (its <see cref="ISharedPassProxy.Prepare"/>) before any work.
    /// A member that throws ends the call with its exception.</remarks>
    public static void Run(
        IReadOnlyList<IZeroCostProxy> members, NetworkWeights weights, Batch batch, ProxyContext context,
        Action<int, ProxyScore> completed, CancellationToken cancellationToken)
    {
        var groups = new List<(ExecutionOptions Options, List<int> Members)>();
        for (var i = 0; i < members.Count; i++)
        {
            if (members[i] is not ISharedPassProxy shared)
            {
                continue;
            }

            var options = shared.Prepare(weights, batch, context);
            var group = groups.FindIndex(g => g.Options == options);
            if (group < 0)
            {
                groups.Add((options, [i]));
            }
            else
            {
                groups[group].Members.Add(i);
            }
        }

        foreach (var (options, group) in groups)
        {
            RunGroup(members, options, group, weights, batch, context, completed, cancellationToken);
        }

        for (var i = 0; i < members.Count; i++)
        {
            if (members[i] is not ISharedPassProxy)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                var score = members[i].Compute(weights, batch, context, cancellationToken);
                completed(i, score with { Elapsed = clock.Elapsed });
            }
        }
    }

    /// <summary>One compiled network for every member of a group.</summary>
    private static void RunGroup(
        IReadOnlyList<IZeroCostProxy> members, ExecutionOptions options, List<int> group, NetworkWeights weights, Batch batch,
        ProxyContext context, Action<int, ProxyScore> completed, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        using var network = context.Backend.Compile(weights, options);
        foreach (var reducers in group.Where(i => members[i] is IGradientReductionProxy).GroupBy(i => ((IGradientReductionProxy)members[i]).Objective))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ids = reducers.ToArray();
            var scores = ScoredTensors.SumOverGradients(
                [.. ids.Select(i => members[i].Id)],
                weights,
                network,
                batch,
                reducers.Key,
                [.. ids.Select(i => ((IGradientReductionProxy)members[i]).Reduction)]);
            for (var k = 0; k < ids.Length; k++)
            {
                completed(ids[k], scores[k] with { Elapsed = k == 0 ? clock.Elapsed : TimeSpan.Zero });
            }

            clock.Restart();
        }

        foreach (var i in group.Where(i => members[i] is not (IGradientReductionProxy or GradSignProxy)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var score = ((ISharedPassProxy)members[i]).ComputeOn(network, weights, batch, cancellationToken);
            completed(i, score with { Elapsed = clock.Elapsed });
            clock.Restart();
        }

        // GradSign's sum and mean count the same votes: one per-sample pass for both, last, because per-sample passes
        // replace the batch-statistics forward the other members share.
        var voters = group.Where(i => members[i] is GradSignProxy).ToArray();
        if (voters.Length > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var votes = GradSignProxy.CountVotes(network, weights, batch, cancellationToken);
            for (var k = 0; k < voters.Length; k++)
            {
                completed(voters[k], ((GradSignProxy)members[voters[k]]).ScoreOf(votes) with { Elapsed = k == 0 ? clock.Elapsed : TimeSpan.Zero });
            }
        }
    }
}
