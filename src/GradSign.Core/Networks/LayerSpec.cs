namespace GradSign.Networks;

/// <summary>
/// One node of a <see cref="NetworkSpec"/> graph. Layers are stored in topological order; <see cref="Inputs"/>
/// name earlier layers by index. Layer 0 is always the <see cref="InputLayer"/>. Tensors are NCHW
/// (or [batch, features] after <see cref="GlobalAvgPoolLayer"/>); every layer keeps the batch dimension.
/// </summary>
/// <remarks>Layers are immutable descriptions; a backend compiles them into kernels.</remarks>
public abstract record LayerSpec
{
    private protected LayerSpec(string name, IReadOnlyList<int> inputs)
    {
        Name = name;
        Inputs = inputs;
    }

    /// <summary>Readable name (for debugging and error messages), e.g. <c>stack_cell1.0.options.12.op.0</c>.</summary>
    public string Name { get; }

    /// <summary>Indices of the layers whose outputs this layer consumes.</summary>
    public IReadOnlyList<int> Inputs { get; }

    /// <summary>Output shape per sample: [C, H, W] for feature maps, [F] for vectors.</summary>
    public abstract IReadOnlyList<int> OutputShape { get; }
}

/// <summary>The network input, shape [C, H, W].</summary>
public sealed record InputLayer : LayerSpec
{
    internal InputLayer(int channels, int height, int width)
        : base("input", []) => OutputShape = [channels, height, width];

    /// <inheritdoc />
    public override IReadOnlyList<int> OutputShape { get; }
}

/// <summary>2-D convolution (cross-correlation, as PyTorch), square kernel, zero padding.</summary>
public sealed record Conv2dLayer : LayerSpec
{
    internal Conv2dLayer(string name, int input, IReadOnlyList<int> inShape, int outChannels, int kernel, int stride, int padding, int weight, int? bias)
        : base(name, [input])
    {
        InChannels = inShape[0];
        OutChannels = outChannels;
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
        Weight = weight;
        Bias = bias;
        OutputShape = [outChannels, ((inShape[1] + (2 * padding) - kernel) / stride) + 1, ((inShape[2] + (2 * padding) - kernel) / stride) + 1];
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel height and width.</summary>
    public int Kernel { get; }

    /// <summary>Stride in both directions.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on every side.</summary>
    public int Padding { get; }

    /// <summary>Index of the weight parameter [out, in, k, k].</summary>
    public int Weight { get; }

    /// <summary>Index of the bias parameter [out], or null.</summary>
    public int? Bias { get; }

    /// <inheritdoc />
    public override IReadOnlyList<int> OutputShape { get; }
}

/// <summary>
/// BatchNorm2d in training mode: per channel, mean and biased variance over (batch, H, W) of the tensor it
/// receives (over (H, W) of one sample when a backend computes per-sample statistics), eps added to the variance.
/// Running statistics are never used.
/// </summary>
public sealed record BatchNormLayer : LayerSpec
{
    internal BatchNormLayer(string name, int input, IReadOnlyList<int> shape, int? weight, int? bias, double epsilon, bool removable)
        : base(name, [input])
    {
        Channels = shape[0];
        Weight = weight;
        Bias = bias;
        Epsilon = epsilon;
        Removable = removable;
        OutputShape = shape;
    }

    /// <summary>Channels.</summary>
    public int Channels { get; }

    /// <summary>Index of γ, or null without affine parameters.</summary>
    public int? Weight { get; }

    /// <summary>Index of β, or null without affine parameters.</summary>
    public int? Bias { get; }

    /// <summary>Added to the variance (PyTorch default 1e-5).</summary>
    public double Epsilon { get; }

    /// <summary>
    /// False for the BatchNorms that zero-cost-nas keeps in its BN-free copy (the NAS-Bench-201 reduction blocks,
    /// which ignore <c>use_bn</c>); see <c>BatchNormMode.RemoveRemovable</c>.
    /// </summary>
    public bool Removable { get; }

    /// <summary>True when γ and β exist.</summary>
    public bool Affine => Weight is not null;

    /// <inheritdoc />
    public override IReadOnlyList<int> OutputShape { get; }
}

/// <summary>ReLU, derivative 0 at 0.</summary>
public sealed record ReluLayer : LayerSpec
{
    internal ReluLayer(string name, int input, IReadOnlyList<int> shape, bool wrapperNamedRelu)
        : base(name, [input])
    {
        OutputShape = shape;
        WrapperNamedRelu = wrapperNamedRelu;
    }

    /// <summary>
    /// True when the reference wraps this ReLU in a module whose class name contains "ReLU" (NAS-Bench-201's
    /// <c>ReLUConvBN</c>), so the NASWOT reference hook sees its input twice.
    /// </summary>
    public bool WrapperNamedRelu { get; }

    /// <inheritdoc />
    public override IReadOnlyList<int> OutputShape { get; }
}

/// <summary>Pooling flavours.</summary>
public enum PoolKind
{
    /// <summary>Average; see <see cref="PoolLayer.CountIncludePad"/>.</summary>
    Average,
    /// <summary>Maximum; padding behaves as −∞.</summary>
    Max,
}

/// <summary>2-D average or max pooling with a square window.</summary>
public sealed record PoolLayer : LayerSpec
{
    internal PoolLayer(string name, int input, IReadOnlyList<int> inShape, PoolKind kind, int kernel, int stride, int padding, bool countIncludePad)
        : base(name, [input])
    {
        Kind = kind;
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
        CountIncludePad = countIncludePad;
        OutputShape = [inShape[0], ((inShape[1] + (2 * padding) - kernel) / stride) + 1, ((inShape[2] + (2 * padding) - kernel) / stride) + 1];
    }

    /// <summary>Average or max.</summary>
    public PoolKind Kind { get; }

    /// <summary>Window size.</summary>
    public int Kernel { get; }

    /// <summary>Stride.</summary>
    public int Stride { get; }

    /// <summary>Padding on every side.</summary>
    public int Padding { get; }

    /// <summary>Average pooling only: false divides border windows by the number of in-image pixels.</summary>
    public bool CountIncludePad { get; }

    /// <inheritdoc />
    public override IReadOnlyList<int> OutputShape { get; }
}

/// <summary>Mean over H and W: [C, H, W] → [C].</summary>
public sealed record GlobalAvgPoolLayer : LayerSpec
{
    internal GlobalAvgPoolLayer(string name, int input, IReadOnlyList<int> inShape)
        : base(name, [input]) => OutputShape = [inShape[0]];

    /// <inheritdoc />
    public override IReadOnlyList<int> OutputShape { get; }
}

/// <summary>Fully connected layer y = W x + b on vectors.</summary>
public sealed record LinearLayer : LayerSpec
{
    internal LinearLayer(string name, int input, int inFeatures, int outFeatures, int weight, int? bias)
        : base(name, [input])
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = weight;
        Bias = bias;
        OutputShape = [outFeatures];
    }

    /// <summary>Input features.</summary>
    public int InFeatures { get; }

    /// <summary>Output features.</summary>
    public int OutFeatures { get; }

    /// <summary>Index of the weight [out, in].</summary>
    public int Weight { get; }

    /// <summary>Index of the bias [out], or null.</summary>
    public int? Bias { get; }

    /// <inheritdoc />
    public override IReadOnlyList<int> OutputShape { get; }
}

/// <summary>Element-wise sum of two or more same-shaped inputs, added left to right.</summary>
public sealed record AddLayer : LayerSpec
{
    internal AddLayer(string name, IReadOnlyList<int> inputs, IReadOnlyList<int> shape)
        : base(name, inputs) => OutputShape = shape;

    /// <inheritdoc />
    public override IReadOnlyList<int> OutputShape { get; }
}

/// <summary>
/// The NAS-Bench-201 <c>none</c> op (<c>x.mul(0.)</c>): zeros of the input's shape. It stays in the graph, so
/// everything before it is still computed and receives an exactly-zero gradient through it.
/// </summary>
public sealed record ZeroLayer : LayerSpec
{
    internal ZeroLayer(string name, int input, IReadOnlyList<int> shape)
        : base(name, [input]) => OutputShape = shape;

    /// <inheritdoc />
    public override IReadOnlyList<int> OutputShape { get; }
}

/// <summary>Concatenation along channels of inputs with equal H and W (NAS-Bench-101 output vertex).</summary>
public sealed record ConcatLayer : LayerSpec
{
    internal ConcatLayer(string name, IReadOnlyList<int> inputs, IReadOnlyList<int> shape)
        : base(name, inputs) => OutputShape = shape;

    /// <inheritdoc />
    public override IReadOnlyList<int> OutputShape { get; }
}

/// <summary>Keeps the first <see cref="Channels"/> channels (NAS-Bench-101 <c>Truncate</c>).</summary>
public sealed record TruncateLayer : LayerSpec
{
    internal TruncateLayer(string name, int input, IReadOnlyList<int> inShape, int channels)
        : base(name, [input])
    {
        Channels = channels;
        OutputShape = [channels, inShape[1], inShape[2]];
    }

    /// <summary>Channels kept.</summary>
    public int Channels { get; }

    /// <inheritdoc />
    public override IReadOnlyList<int> OutputShape { get; }
}
