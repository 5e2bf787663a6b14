using GradSign.Backends.Managed.Ops;

namespace GradSign.Backends.Managed;

/// <content>
/// Segment checkpointing of the Hessian-vector product. Its tangent sweep reads, per layer, the values and the tangents
/// the backward plan keeps, so holding both for the whole network doubles what a backward pass holds (GraSP on
/// NAS-Bench-201: ~200 MB of values plus ~200 MB of tangents). The network is cut into segments at slots through which
/// everything flows (NAS-Bench-201: between cells); below the top segments that fit the budget, the tangent forward
/// pass keeps of each segment only its cut slot's value and tangent, giving the rest back after its last reader, and the
/// sweep recomputes a segment's values and tangents from the cut slot below it when it reaches the segment, through the
/// same kernels in the same order, so every value and tangent is the one the full pass computed, bit for bit.
/// </content>
internal sealed partial class ManagedExecutor<T>
{
    /// <summary>Segments aimed at per network: the kept values are split into about this many runs of cells, so that one
    /// recomputed segment holds a small share of them (NAS-Bench-201, N = 5: a cell of the first stage each).</summary>
    private const int TargetSegments = 16;

    /// <summary>The top segments holding about this share (its inverse) of the kept values give them back when the product
    /// starts (see <see cref="HvpSegment.Refreshed"/>).</summary>
    private const int RefreshShare = 5;

    private HvpSegment[]? _segments;
    private bool[] _pinned = [];
    private int[][] _interiorRelease = []; // per layer index: slots of recomputed segments the tangent forward pass gives back after it

    /// <summary>How many segments the sweep of a Hessian-vector product recomputes and how many the tangent forward pass
    /// recomputes the values of (tests check that both paths run).</summary>
    internal (int Recomputed, int Refreshed) HvpSegmentCounts
        => _recompute && Segments() is { } segments ? (segments.Count(s => s.Checkpointed), segments.Count(s => s.Refreshed)) : (0, 0);

    /// <summary>The layer index producing <paramref name="slot"/> (0 for the input).</summary>
    private int ProducerLayer(int slot) => _producer[slot]?.Layer ?? 0;

    /// <summary>
    /// The segments of the backward plan, bottom to top, or null when nothing would be recomputed (every segment fits
    /// the budget, or the network has no cut). The top segments are held whole while their values and tangents, with the
    /// cut slots of the segments below, stay within the budget: segments near the output (small activations, the same
    /// work per layer) are then not recomputed where that saves little memory.
    /// </summary>
    private HvpSegment[]? Segments()
    {
        if (_segments is not null)
        {
            return _segments.Length == 0 ? null : _segments;
        }

        var plan = Plan(ForwardKeep.Backward);
        var n = _ops.Length;

        // lowest[i]: the lowest producing layer of any slot read by a layer at index ≥ i. A cut after layer p leaves only
        // p's output read above it.
        var lowest = new int[n + 1];
        lowest[n] = int.MaxValue;
        for (var i = n - 1; i >= 1; i--)
        {
            lowest[i] = lowest[i + 1];
            foreach (var s in _ops[i]?.Inputs.Concat(_ops[i]!.SavedSlots) ?? [])
            {
                lowest[i] = Math.Min(lowest[i], ProducerLayer(s));
            }
        }

        long Units(int from, int to)
        {
            long u = 0;
            for (var i = from; i <= to; i++)
            {
                if (_ops[i] is { } op && plan.Kept[op.Output])
                {
                    u += _slotSizes[op.Output];
                }
            }

            return u;
        }

        var total = Units(1, n - 1);
        var target = Math.Max(1, total / TargetSegments);
        var bounds = new List<(int First, int Last, int Cut)>();
        var first = 1;
        for (var p = 1; p < n; p++)
        {
            if (p == n - 1)
            {
                bounds.Add((first, p, -1));
            }
            else if (_ops[p] is { } op && lowest[p + 1] >= p && Units(first, p) >= target && Recomputable(plan, op.Output, 0))
            {
                bounds.Add((first, p, op.Output));
                first = p + 1;
            }
        }

        // Hold segments from the top (the top one always: the seed reads the logits) while their values and tangents, with
        // the cut slots of those below, stay within the values the backward pass keeps; every segment below the held ones
        // is recomputed. The sweep then holds about what the backward pass held, and the top segments (small
        // activations, as much work per layer as the large ones) are not recomputed.
        var budget = total;
        var whole = bounds.Select(b => 2 * Units(b.First, b.Last)).ToArray();
        var cuts = bounds.Select(b => b.Cut < 0 ? 0 : 2L * _slotSizes[b.Cut]).ToArray();
        var heldFrom = bounds.Count - 1;
        var held = whole[heldFrom];
        while (heldFrom > 0 && held + whole[heldFrom - 1] + cuts.Take(heldFrom - 1).Sum() <= budget)
        {
            heldFrom--;
            held += whole[heldFrom];
        }

        if (heldFrom == 0)
        {
            _segments = [];
            return null;
        }

        // The cut slots of recomputed segments stay (value and tangent) until the sweep has left the segment above.
        _pinned = new bool[_slotSizes.Length];
        for (var k = 0; k < heldFrom; k++)
        {
            _pinned[bounds[k].Cut] = true;
        }

        // The other values and tangents of a recomputed segment go back after their last reader in the tangent forward
        // pass, counting the layers that read a value recomputed from them (the sweep recomputes them anyway).
        var lastUse = new int[_slotSizes.Length];
        Array.Fill(lastUse, -1);
        foreach (var op in _ops)
        {
            foreach (var s in op?.Inputs.Concat(op.SavedSlots) ?? [])
            {
                lastUse[s] = Math.Max(lastUse[s], op!.Layer);
            }
        }

        for (var s = lastUse.Length - 1; s >= 1; s--)
        {
            if (!plan.Kept[s] && !_pinned[s] && lastUse[s] >= 0 && _producer[s] is { Recomputable: true } producer)
            {
                foreach (var input in producer.ForwardInputs)
                {
                    lastUse[input] = Math.Max(lastUse[input], lastUse[s]);
                }
            }
        }

        var interiorRelease = new List<int>[n];
        for (var k = 0; k < heldFrom; k++)
        {
            var (lo, hi, cut) = bounds[k];
            for (var s = 1; s < _slotSizes.Length; s++)
            {
                var p = ProducerLayer(s);
                if (p >= lo && p <= hi && s != cut)
                {
                    (interiorRelease[Math.Clamp(lastUse[s], p, hi)] ??= []).Add(s);
                }
            }
        }

        _interiorRelease = [.. interiorRelease.Select(r => r?.ToArray() ?? [])];

        // The tangent forward pass starts from the backward pass's values, and its first segment's tangents come on top of
        // them: the top segments (small activations) give theirs back first and recompute them when the pass reaches them.
        var refreshFrom = bounds.Count;
        for (var refreshed = 0L; refreshFrom > 0 && refreshed + (whole[refreshFrom - 1] / 2) <= total / RefreshShare; refreshFrom--)
        {
            refreshed += whole[refreshFrom - 1] / 2;
        }

        _segments = [.. bounds.Select((b, k) => new HvpSegment(
            b.First,
            b.Last,
            b.Cut,
            [.. Enumerable.Range(1, _slotSizes.Length - 1).Where(s => ProducerLayer(s) >= b.First && ProducerLayer(s) <= b.Last)],
            k < heldFrom,
            k >= refreshFrom))];
        return _segments;
    }

    /// <summary>Whether <paramref name="slot"/> is kept or recomputed from kept slots within a few layers.</summary>
    private bool Recomputable(RecomputePlan plan, int slot, int depth)
        => plan.Kept[slot] || slot == 0 || (depth <= RecomputePlan.MaxDepth && _producer[slot] is { Recomputable: true } op
            && op.ForwardInputs.All(i => Recomputable(plan, i, depth + 1)));

    /// <summary>Whether a pass may give <paramref name="slot"/> back after its last reader: the active plan does not keep it
    /// and, in a <paramref name="segmented"/> Hessian-vector product, it is not a recomputed segment's cut slot.</summary>
    private bool Dropped(int slot, bool segmented) => !_active.Kept[slot] && !(segmented && _pinned[slot]);

    /// <summary>After the tangent forward pass has run layer <paramref name="i"/>: gives back the values and tangents of
    /// recomputed segments that no later layer of the pass reads.</summary>
    private void ReleaseInterior(Workspace<T> w, int i)
    {
        foreach (var s in _interiorRelease[i])
        {
            w.Values.Release(s);
            w.Tangents.Release(s);
        }
    }

    /// <summary>Gives back every value and tangent of <paramref name="segment"/> (the sweep has left it).</summary>
    private static void ReleaseSegment(Workspace<T> w, HvpSegment segment)
    {
        foreach (var s in segment.Slots)
        {
            w.Values.Release(s);
            w.Tangents.Release(s);
        }
    }

    /// <summary>
    /// Recomputes the values and tangents the active plan keeps in <paramref name="segment"/> from the cut slot below it:
    /// its layers' forward passes as <see cref="RunForward"/> runs them (a sum and the ReLU reading it in one pass where
    /// both are in the segment), then their tangent forward passes as <see cref="RunTangentForward"/> runs them, giving
    /// back what the plan does not keep after its last reader. Anything written above the segment (a cut slot the next
    /// segment reads) goes back afterwards.
    /// </summary>
    private void RecomputeSegment(Workspace<T> w, HvpSegment segment)
    {
        RecomputeValues(w, segment);
        RecomputeTangents(w, segment);
    }

    /// <summary>Recomputes the values the active plan keeps in <paramref name="segment"/> (see <see cref="RecomputeSegment"/>).</summary>
    private void RecomputeValues(Workspace<T> w, HvpSegment segment)
    {
        for (var i = segment.First; i <= segment.Last; i++)
        {
            if (_ops[i] is not { } op)
            {
                continue;
            }

            foreach (var input in op.ForwardInputs)
            {
                if (ProducerLayer(input) < segment.First)
                {
                    MaterializeValue(w, input, null);
                }
            }

            ForwardLayer(w, op, (segment.First, segment.Last));
            ReleaseRead(op, i, segmented: true, w.Values.Release);
        }

        ReleaseAbove(w, segment);
    }

    /// <summary>Recomputes the tangents the active plan keeps in <paramref name="segment"/> (see <see cref="RecomputeSegment"/>).</summary>
    private void RecomputeTangents(Workspace<T> w, HvpSegment segment)
    {
        for (var i = segment.First; i <= segment.Last; i++)
        {
            if (_ops[i] is not { } op)
            {
                continue;
            }

            foreach (var input in op.ForwardInputs)
            {
                if (ProducerLayer(input) < segment.First)
                {
                    MaterializeTangent(w, input, null);
                }
            }

            MaterializeValues(w, op);
            op.TangentForward(w);
            ReleaseRead(op, i, segmented: true, slot => ReleaseTangent(w, slot));
        }

        ReleaseAbove(w, segment);
    }

    /// <summary>Gives back values and tangents written above <paramref name="segment"/> while recomputing it (the sum of a
    /// cut slot whose ReLU lies in the next segment); nothing above it is held then.</summary>
    private void ReleaseAbove(Workspace<T> w, HvpSegment segment)
    {
        for (var s = 1; s < _slotSizes.Length; s++)
        {
            if (ProducerLayer(s) > segment.Last)
            {
                w.Values.Release(s);
                w.Tangents.Release(s);
            }
        }
    }

    /// <summary>The sweep reaches layer <paramref name="i"/>: where a segment ends there, the segment above it (fully
    /// swept) goes back and, if it is recomputed, the segment is recomputed.</summary>
    private void EnterLayer(Workspace<T> w, HvpSegment[] segments, int i)
    {
        var k = Array.FindIndex(segments, s => s.Last == i);
        if (k < 0)
        {
            return;
        }

        if (k + 1 < segments.Length)
        {
            ReleaseSegment(w, segments[k + 1]);
        }

        if (segments[k].Checkpointed)
        {
            RecomputeSegment(w, segments[k]);
        }
    }

    /// <summary>A run of layers <see cref="First"/>..<see cref="Last"/> (indices) that nothing above reads but through
    /// the output of <see cref="Last"/>.</summary>
    /// <param name="First">Its lowest layer index.</param>
    /// <param name="Last">Its highest layer index (the cut slot's producer).</param>
    /// <param name="Slots">The slots its layers produce.</param>
    /// <param name="Cut">The slot the layers above read (−1 for the top segment).</param>
    /// <param name="Checkpointed">Whether the sweep recomputes it instead of the tangent forward pass holding it.</param>
    /// <param name="Refreshed">Whether its values go back when the product starts and the tangent forward pass recomputes
    /// them.</param>
    private sealed record HvpSegment(int First, int Last, int Cut, int[] Slots, bool Checkpointed, bool Refreshed);
}
