namespace GradSign.Backends.Managed;

/// <summary>
/// Which slot values a forward pass keeps for the passes after it, and which of the values those passes read it
/// recomputes instead (rematerialisation). A value is recomputed only when its layer is cheap to run again (element-wise
/// or pooling layers, BatchNorm; never a convolution or a linear layer) from values that are kept, or recomputed in
/// turn, at most <see cref="MaxDepth"/> layers deep. Running the same layer on the same inputs gives the same floats, so
/// recomputed values are the forward pass's bit for bit.
/// </summary>
/// <remarks>
/// <para>A NAS-Bench-201 cell keeps, per convolution edge, the ReLU output the convolution reads and the BatchNorm
/// output its backward pass reads (x̂). The ReLU outputs of the inner nodes are sums of kept BatchNorm outputs, so they
/// are recomputed (an addition and a ReLU) when the backward sweep reaches them. Where a ReLU output cannot be
/// recomputed and its input feeds other layers too (a cell's output node: the next cell's ReLU, skip and pooling edges,
/// a reduction's residual branch), the plan keeps the input instead of the output, at the same size, so the ReLU output
/// and the values derived from that input are recomputed from it.</para>
/// <para>The release points hand a recomputed value back after the last layer (in backward order) that reads it.</para>
/// </remarks>
internal sealed class RecomputePlan
{
    /// <summary>Most layers run one after the other to recompute one value.</summary>
    public const int MaxDepth = 3;

    private RecomputePlan(bool[] kept, bool[] derived, int[][] releaseAfter, int[][] keptLastUsedBy)
    {
        Kept = kept;
        Derived = derived;
        ReleaseAfter = releaseAfter;
        KeptLastUsedBy = keptLastUsedBy;
    }

    /// <summary>Per slot: the forward pass keeps its value (and a Hessian-vector product's tangent pass its tangent).</summary>
    public bool[] Kept { get; }

    /// <summary>Per slot: read after the forward pass but recomputed from kept values when read.</summary>
    public bool[] Derived { get; }

    /// <summary>Per layer index: recomputed slots whose last reader (in backward order) that layer is.</summary>
    public int[][] ReleaseAfter { get; }

    /// <summary>Per layer index: kept slots whose last reader (in backward order) that layer is, counting the layers that
    /// read a value recomputed from them. A pass that is the last to read them (a Hessian-vector product's tangents) may
    /// give them back there.</summary>
    public int[][] KeptLastUsedBy { get; }

    /// <summary>Elements per sample of the kept slots (their sizes summed).</summary>
    public long KeptUnits(int[] slotSizes) => Kept.Select((k, s) => k ? (long)slotSizes[s] : 0).Sum();

    /// <summary>Builds a plan.</summary>
    /// <param name="needed">Per slot: read after the forward pass.</param>
    /// <param name="always">Per slot: kept whatever it costs (the logits).</param>
    /// <param name="recomputable">Per slot: its layer may run again (false for the input and for expensive layers).</param>
    /// <param name="inputs">Per slot: the slots its layer's forward pass reads.</param>
    /// <param name="relu">Per slot: its layer is a ReLU.</param>
    /// <param name="otherReaders">Per slot: read in the forward pass by a layer other than a ReLU.</param>
    /// <param name="backwardReaders">Per slot: layer indices reading it after the forward pass.</param>
    /// <param name="layerCount">Layers in the network.</param>
    /// <param name="allowRecompute">False: keep every needed value.</param>
    public static RecomputePlan Build(
        bool[] needed,
        bool[] always,
        bool[] recomputable,
        int[][] inputs,
        bool[] relu,
        bool[] otherReaders,
        List<int>[] backwardReaders,
        int layerCount,
        bool allowRecompute)
    {
        var n = needed.Length;
        var kept = new bool[n];
        var depth = new int[n]; // 0: kept; d > 0: recomputed by d layers; −1: unavailable
        for (var s = 0; s < n; s++)
        {
            var d = -1;
            if (allowRecompute && recomputable[s])
            {
                d = 1;
                foreach (var i in inputs[s])
                {
                    d = depth[i] < 0 ? MaxDepth + 1 : Math.Max(d, depth[i] + 1);
                }

                if (d > MaxDepth)
                {
                    d = -1;
                }
            }

            if (always[s] || (needed[s] && d < 0))
            {
                if (allowRecompute && !always[s] && relu[s] && inputs[s] is [var x] && x > 0 && otherReaders[x] && !kept[x])
                {
                    // Keep the ReLU's input instead: the output is recomputed from it, and so are other values derived from it.
                    kept[x] = true;
                    depth[x] = 0;
                    d = 1;
                }
                else
                {
                    kept[s] = true;
                    d = 0;
                }
            }

            depth[s] = d;
        }

        var derived = new bool[n];
        var release = new List<int>[layerCount];
        for (var s = 0; s < n; s++)
        {
            if (needed[s] && !kept[s])
            {
                derived[s] = true;
                var last = backwardReaders[s].Min();
                (release[last] ??= []).Add(s);
            }
        }

        // The last reader of every slot, in backward order (lowest layer index): its own readers and, for a value that is
        // recomputed when read, the readers of the values recomputed from it (slots are numbered in forward order, so
        // one pass from the top reaches every input after its readers).
        var lastUse = new int[n];
        Array.Fill(lastUse, int.MaxValue);
        for (var s = n - 1; s >= 0; s--)
        {
            if (needed[s] && backwardReaders[s].Count > 0)
            {
                lastUse[s] = Math.Min(lastUse[s], backwardReaders[s].Min());
            }

            if (!kept[s] && lastUse[s] != int.MaxValue)
            {
                foreach (var i in inputs[s])
                {
                    lastUse[i] = Math.Min(lastUse[i], lastUse[s]);
                }
            }
        }

        var keptLast = new List<int>[layerCount];
        for (var s = 1; s < n; s++)
        {
            if (kept[s] && !always[s] && lastUse[s] != int.MaxValue)
            {
                (keptLast[lastUse[s]] ??= []).Add(s);
            }
        }

        return new RecomputePlan(
            kept,
            derived,
            [.. release.Select(r => r?.ToArray() ?? [])],
            [.. keptLast.Select(r => r?.ToArray() ?? [])]);
    }
}
