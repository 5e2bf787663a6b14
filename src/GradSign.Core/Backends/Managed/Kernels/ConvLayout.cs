namespace GradSign.Backends.Managed.Kernels;

/// <summary>How a convolution's GEMM operand B (rows = taps (c, i, j), columns = output pixels) is laid out.</summary>
internal enum ConvLayoutKind
{
    /// <summary>1×1, stride 1, no padding: B is the input sample itself (row c at c·H·W).</summary>
    Direct,

    /// <summary>
    /// Stride 1: "implicit im2col". The sample is copied once into a zero-padded image of Hp×Wp planes, flattened. Output
    /// pixel (y, x) is column y·Wp + x and tap (c, i, j) is the row starting at c·Hp·Wp + i·Wp + j, because
    /// padded[c, y + i, x + j] sits at c·Hp·Wp + (y + i)·Wp + x + j. Columns with x ≥ OW are garbage (they wrap into the
    /// next row), instead of a K²-times larger im2col buffer: <see cref="ConvForwardCore"/> skips them where output rows
    /// are whole registers, and otherwise computes them and drops them on write-back.
    /// </summary>
    Padded,

    /// <summary>
    /// Stride s ≥ 2 with K ≥ s: the padded sample is split into s² phase planes, phase (a, b) holding
    /// padded[c, s·u + a, s·v + b] at (u, v) in an Hq×Wq plane (Hq = ⌈Hp/s⌉, Wq = ⌈Wp/s⌉). Tap (c, i, j) reads phase
    /// (i mod s, j mod s) shifted by (⌊i/s⌋, ⌊j/s⌋), so padded[c, s·y + i, s·x + j] = phase[y + ⌊i/s⌋, x + ⌊j/s⌋]: a
    /// stride-1 access, and the strided convolution becomes the same implicit GEMM as <see cref="Padded"/> with row
    /// stride Wq (garbage columns x ≥ OW dropped on write-back).
    /// </summary>
    Phased,

    /// <summary>Any other geometry (stride &gt; K): an explicit im2col buffer [Cin·K·K][OH·OW] per sample.</summary>
    Im2Col,
}

/// <summary>The per-sample GEMM view of a convolution geometry; see <see cref="ConvLayoutKind"/>.</summary>
internal readonly record struct ConvLayout(ConvLayoutKind Kind, int KDim, int Columns, int Ldc, int PaddedHeight, int PaddedWidth, int PaddedImageSize, int Workspace, int InChannels, int Kernel, int Stride = 1)
{
    /// <summary>Chooses the layout for <paramref name="g"/>.</summary>
    public static ConvLayout For(in ConvGeometry g)
    {
        int oh = g.OutHeight, ow = g.OutWidth, k = g.Kernel;
        if (k == 1 && g.Stride == 1 && g.Padding == 0)
        {
            return new(ConvLayoutKind.Direct, g.InChannels, oh * ow, oh * ow, g.Height, g.Width, 0, 0, g.InChannels, 1);
        }

        if (g.Stride == 1)
        {
            int hp = g.Height + (2 * g.Padding), wp = g.Width + (2 * g.Padding);
            var image = checked(g.InChannels * hp * wp);
            var ldc = oh * wp;
            return new(ConvLayoutKind.Padded, g.InChannels * k * k, ((oh - 1) * wp) + ow, ldc, hp, wp, image, checked(image + (g.OutChannels * ldc)), g.InChannels, k);
        }

        var kDim = g.InChannels * k * k;
        if (k >= g.Stride)
        {
            var s = g.Stride;
            int hq = (g.Height + (2 * g.Padding) + s - 1) / s, wq = (g.Width + (2 * g.Padding) + s - 1) / s;
            var image = checked(g.InChannels * s * s * hq * wq);
            var ldc = oh * wq;
            return new(ConvLayoutKind.Phased, kDim, ((oh - 1) * wq) + ow, ldc, hq, wq, image, checked(image + (g.OutChannels * ldc)), g.InChannels, k, s);
        }

        return new(ConvLayoutKind.Im2Col, kDim, oh * ow, oh * ow, 0, 0, 0, checked(kDim * oh * ow), g.InChannels, k);
    }

    /// <summary>
    /// The layout of a forward-style GEMM (<see cref="ConvForwardCore"/>): as <see cref="For"/>, except that stride-1
    /// convolutions with K = 2p + 1 share their side padding between neighbouring rows (row stride W + p instead of
    /// W + 2p, the p zeros at the start of each row serving as the left padding of that row and the right padding of the
    /// row above), which halves the garbage columns: 7 of 71 at 8×8 (NAS-Bench-201's third stage), 31 of 1,055 at
    /// 32×32. A stride-1 convolution whose rows would still waste at least a fifth of the columns (row width − OW ≥
    /// OW / 4: images 4 pixels wide or narrower, or kernels without shared padding) takes an explicit im2col buffer
    /// instead. Its rows hold exactly OH·OW columns and the GEMM writes straight into the output. Every layout gives each
    /// output element one chain over the same taps in the same order, so the results are the same bit for bit. (Judged by
    /// the two-sided width, 8×8 would take im2col, whose 64 columns, 16-column remainder tile and copy of K² rows per
    /// sample cost more than 7 garbage columns.)
    /// </summary>
    public static ConvLayout ForForward(in ConvGeometry g)
    {
        var layout = For(g);
        var shares = layout.Kind == ConvLayoutKind.Padded && g.Padding > 0 && g.Kernel == (2 * g.Padding) + 1;
        var rowWidth = shares ? g.Width + g.Padding : layout.PaddedWidth;
        if (layout.Kind == ConvLayoutKind.Padded && 4 * (rowWidth - g.OutWidth) >= g.OutWidth)
        {
            // The im2col rows are expanded from the padded sample, kept after them in the workspace.
            var kDim = g.InChannels * g.Kernel * g.Kernel;
            var plane = g.OutHeight * g.OutWidth;
            return new(ConvLayoutKind.Im2Col, kDim, plane, plane, layout.PaddedHeight, layout.PaddedWidth, layout.PaddedImageSize,
                checked((kDim * plane) + layout.PaddedImageSize), g.InChannels, g.Kernel);
        }

        if (shares)
        {
            // Shared side padding (a tap past the right edge reads the next row's leading zeros), p trailing zeros after
            // the last plane. One garbage column per p instead of 2p (see ConvPacking.PadImageShared).
            int p = g.Padding, hp = g.Height + (2 * p), wq = g.Width + p;
            var image = checked((g.InChannels * hp * wq) + p);
            var ldc = g.OutHeight * wq;
            return new(ConvLayoutKind.Padded, layout.KDim, ((g.OutHeight - 1) * wq) + g.OutWidth, ldc, hp, wq, image,
                checked(image + (g.OutChannels * ldc)), g.InChannels, g.Kernel);
        }

        return layout;
    }

    /// <summary>Whether a <see cref="ConvLayoutKind.Padded"/> layout shares its side padding (rows of W + p, see
    /// <see cref="ForForward"/>) rather than padding both sides (W + 2p).</summary>
    public bool SharesSidePadding(in ConvGeometry g) => Kind == ConvLayoutKind.Padded && PaddedWidth < g.Width + (2 * g.Padding);

    /// <summary>Row offsets of B: <c>offsets[(c·K + i)·K + j]</c> is where tap (c, i, j) starts relative to the sample's B base.</summary>
    public void FillTapOffsets(Span<int> offsets)
    {
        switch (Kind)
        {
            case ConvLayoutKind.Direct:
            case ConvLayoutKind.Im2Col:
                for (var kk = 0; kk < KDim; kk++)
                {
                    offsets[kk] = kk * Columns;
                }

                break;
            case ConvLayoutKind.Phased:
                var plane = PaddedHeight * PaddedWidth;
                var tap = 0;
                for (var c = 0; c < InChannels; c++)
                {
                    for (var i = 0; i < Kernel; i++)
                    {
                        for (var j = 0; j < Kernel; j++)
                        {
                            var phase = (((c * Stride) + (i % Stride)) * Stride) + (j % Stride);
                            offsets[tap++] = (phase * plane) + ((i / Stride) * PaddedWidth) + (j / Stride);
                        }
                    }
                }

                break;
            default:
                var t = 0;
                for (var c = 0; c < InChannels; c++)
                {
                    for (var i = 0; i < Kernel; i++)
                    {
                        for (var j = 0; j < Kernel; j++)
                        {
                            offsets[t++] = (c * PaddedHeight * PaddedWidth) + (i * PaddedWidth) + j;
                        }
                    }
                }

                break;
        }
    }

    /// <summary>
    /// The channel-block tap order: position t holds the (c·K + i)·K + j index of the t-th tap when input channels are
    /// taken in blocks of <paramref name="channelBlock"/>, each block in (i, j, c) order (oneDNN's direct convolution).
    /// Block b occupies positions [b·channelBlock·K², +min(channelBlock, C − b·channelBlock)·K²).
    /// </summary>
    public static void BlockTapOrder(int inChannels, int kernel, int channelBlock, Span<int> order)
    {
        var t = 0;
        for (var c0 = 0; c0 < inChannels; c0 += channelBlock)
        {
            var c1 = Math.Min(inChannels, c0 + channelBlock);
            for (var i = 0; i < kernel; i++)
            {
                for (var j = 0; j < kernel; j++)
                {
                    for (var c = c0; c < c1; c++)
                    {
                        order[t++] = (((c * kernel) + i) * kernel) + j;
                    }
                }
            }
        }
    }
}
