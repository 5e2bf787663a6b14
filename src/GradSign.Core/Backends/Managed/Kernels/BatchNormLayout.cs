namespace GradSign.Backends.Managed.Kernels;

/// <summary>
/// Which elements share BatchNorm statistics. Data is NCHW with S = H·W. With batch statistics a group is one
/// channel c and holds N runs of S elements at <c>(n·C + c)·S</c>; with per-sample statistics a group is one (n, c)
/// pair holding the single run at <c>(n·C + c)·S</c>.
/// </summary>
internal readonly record struct BatchNormLayout(int Batch, int Channels, int Spatial, bool PerSample)
{
    /// <summary>Number of statistics groups: C, or N·C per sample.</summary>
    public int Groups => PerSample ? Batch * Channels : Channels;

    /// <summary>Runs of <see cref="Spatial"/> elements per group.</summary>
    public int RunsPerGroup => PerSample ? 1 : Batch;

    /// <summary>Elements per group (the statistics' count M).</summary>
    public int Count => RunsPerGroup * Spatial;

    /// <summary>Channel of group <paramref name="group"/>.</summary>
    public int Channel(int group) => PerSample ? group % Channels : group;

    /// <summary>Offset of run <paramref name="run"/> of group <paramref name="group"/>.</summary>
    public int Offset(int group, int run) => PerSample ? group * Spatial : ((run * Channels) + group) * Spatial;

    /// <summary>Index of run <paramref name="run"/> of group <paramref name="group"/> in (n, c) order: n·C + c.</summary>
    public int RunIndex(int group, int run) => PerSample ? group : (run * Channels) + group;
}
