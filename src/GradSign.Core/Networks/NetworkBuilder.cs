namespace GradSign.Networks;

/// <summary>
/// Builds a <see cref="NetworkSpec"/> layer by layer. Every method returns the index of the layer it adds, to be
/// passed as the input of later layers; shapes are checked as layers are added.
/// </summary>
/// <example>
/// <code>
/// var b = new NetworkBuilder(3, 32, 32);
/// var x = b.Conv2d(NetworkBuilder.Input, 16, kernel: 3, padding: 1, weightName: "conv.weight");
/// x = b.Relu(b.BatchNorm(x, "bn"));
/// var logits = b.Linear(b.GlobalAvgPool(x), 10, "fc");
/// NetworkSpec spec = b.Build();
/// </code>
/// </example>
public sealed class NetworkBuilder
{
    /// <summary>Index of the input layer.</summary>
    public const int Input = 0;

    private readonly List<LayerSpec> _layers = [];
    private readonly List<ParameterSpec> _parameters = [];
    private readonly HashSet<string> _parameterNames = [];

    /// <summary>Starts a network whose samples have shape [channels, height, width].</summary>
    /// <param name="channels">Input channels.</param>
    /// <param name="height">Input height.</param>
    /// <param name="width">Input width.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive, or a sample has more values than one array holds.</exception>
    public NetworkBuilder(int channels, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (!TensorLimits.Fits(channels, height, width))
        {
            throw new ArgumentOutOfRangeException(nameof(height), height,
                $"An input of {channels}x{height}x{width} has {TensorLimits.Format(TensorLimits.Elements(channels, height, width))} values per sample; {TensorLimits.Limit}.");
        }

        _layers.Add(new InputLayer(channels, height, width));
    }

    /// <summary>Per-sample output shape of a layer already added.</summary>
    /// <param name="layer">The layer index.</param>
    /// <returns>[C, H, W] or [F].</returns>
    public IReadOnlyList<int> ShapeOf(int layer) => Get(layer).OutputShape;

    /// <summary>Adds a parameter tensor explicitly (layers add theirs; use this only for custom ordering).</summary>
    /// <param name="name">Unique name.</param>
    /// <param name="kind">Kind.</param>
    /// <param name="shape">Shape.</param>
    /// <param name="init">Initialiser.</param>
    /// <returns>The parameter index.</returns>
    /// <exception cref="ArgumentException">The name is used twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive, or the tensor has more elements than one array holds.</exception>
    public int AddParameter(string name, ParameterKind kind, int[] shape, ParameterInit init)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(shape);
        var dimensions = Array.ConvertAll(shape, d => (long)d);
        if (shape.Length == 0 || shape.Any(d => d < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(shape), $"Parameter '{name}' has shape [{string.Join(",", shape)}]; every dimension must be positive.");
        }

        if (!TensorLimits.Fits(dimensions))
        {
            throw new ArgumentOutOfRangeException(nameof(shape),
                $"Parameter '{name}' of shape [{string.Join(",", shape)}] would have {TensorLimits.Format(TensorLimits.Elements(dimensions))} elements; {TensorLimits.Limit}.");
        }

        if (!_parameterNames.Add(name))
        {
            throw new ArgumentException($"Parameter name '{name}' is used twice.", nameof(name));
        }

        _parameters.Add(new ParameterSpec(_parameters.Count, name, kind, shape, init));
        return _parameters.Count - 1;
    }

    /// <summary>Adds a convolution. Default initialisation is PyTorch's: weight and bias U(±1/√fan_in).</summary>
    /// <param name="input">Input layer (a feature map).</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernel">Square kernel size.</param>
    /// <param name="stride">Stride.</param>
    /// <param name="padding">Zero padding.</param>
    /// <param name="bias">Whether the conv has a bias.</param>
    /// <param name="weightName">Name of the weight parameter (the bias is named by replacing a trailing "weight" with "bias").</param>
    /// <param name="weightInit">Weight initialiser; default U(±1/√fan_in).</param>
    /// <param name="layerName">Layer name; default derived from <paramref name="weightName"/>.</param>
    /// <returns>The layer index.</returns>
    public int Conv2d(int input, int outChannels, int kernel, int stride = 1, int padding = 0, bool bias = false,
        string? weightName = null, ParameterInit? weightInit = null, string? layerName = null)
    {
        var inShape = FeatureMap(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        CheckWindow(inShape, kernel, padding, nameof(kernel));

        weightName ??= $"layers.{_layers.Count}.weight";
        var fanIn = inShape[0] * kernel * kernel;
        var bound = 1.0 / Math.Sqrt(fanIn);
        var w = AddParameter(weightName, ParameterKind.ConvWeight, [outChannels, inShape[0], kernel, kernel], weightInit ?? ParameterInit.Uniform(bound));
        int? b = bias ? AddParameter(BiasName(weightName), ParameterKind.ConvBias, [outChannels], ParameterInit.Uniform(bound)) : null;
        return Add(new Conv2dLayer(layerName ?? Strip(weightName), input, inShape, outChannels, kernel, stride, padding, w, b));
    }

    /// <summary>
    /// Adds a convolution that uses parameters already declared with <see cref="AddParameter"/>. This lets a
    /// network's parameter order (e.g. a reference's state-dict order) differ from its layer order.
    /// </summary>
    /// <param name="input">Input layer (a feature map).</param>
    /// <param name="weight">Index of a <see cref="ParameterKind.ConvWeight"/> parameter of shape [out, in, k, k].</param>
    /// <param name="bias">Index of a <see cref="ParameterKind.ConvBias"/> parameter of shape [out], or null.</param>
    /// <param name="stride">Stride.</param>
    /// <param name="padding">Zero padding.</param>
    /// <param name="layerName">Layer name; default derived from the weight's name.</param>
    /// <returns>The layer index.</returns>
    /// <exception cref="ArgumentException">A parameter has the wrong kind or shape for this input.</exception>
    public int Conv2dWithParameters(int input, int weight, int? bias, int stride = 1, int padding = 0, string? layerName = null)
    {
        var inShape = FeatureMap(input);
        var w = GetParameter(weight, ParameterKind.ConvWeight, nameof(weight));
        if (w.Shape.Count != 4 || w.Shape[2] != w.Shape[3] || w.Shape[1] != inShape[0])
        {
            throw new ArgumentException($"Conv weight '{w.Name}' has shape [{string.Join(",", w.Shape)}]; a square kernel over {inShape[0]} input channels is needed.", nameof(weight));
        }

        if (bias is { } b)
        {
            var bp = GetParameter(b, ParameterKind.ConvBias, nameof(bias));
            if (bp.Shape.Count != 1 || bp.Shape[0] != w.Shape[0])
            {
                throw new ArgumentException($"Conv bias '{bp.Name}' has shape [{string.Join(",", bp.Shape)}]; [{w.Shape[0]}] is needed.", nameof(bias));
            }
        }

        var kernel = w.Shape[2];
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        CheckWindow(inShape, kernel, padding, nameof(weight));

        return Add(new Conv2dLayer(layerName ?? Strip(w.Name), input, inShape, w.Shape[0], kernel, stride, padding, weight, bias));
    }

    /// <summary>
    /// Adds a training-mode BatchNorm2d that uses γ and β already declared with <see cref="AddParameter"/>
    /// (see <see cref="Conv2dWithParameters"/>).
    /// </summary>
    /// <param name="input">Input layer (a feature map).</param>
    /// <param name="name">Layer name.</param>
    /// <param name="weight">Index of a <see cref="ParameterKind.BatchNormWeight"/> parameter [channels].</param>
    /// <param name="bias">Index of a <see cref="ParameterKind.BatchNormBias"/> parameter [channels].</param>
    /// <param name="removable">False for BatchNorms that zero-cost-nas keeps in its BN-free copy.</param>
    /// <param name="epsilon">Variance epsilon.</param>
    /// <returns>The layer index.</returns>
    /// <exception cref="ArgumentException">A parameter has the wrong kind or shape.</exception>
    public int BatchNormWithParameters(int input, string name, int weight, int bias, bool removable = true, double epsilon = 1e-5)
    {
        var shape = FeatureMap(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        foreach (var (index, kind, argName) in new[] { (weight, ParameterKind.BatchNormWeight, nameof(weight)), (bias, ParameterKind.BatchNormBias, nameof(bias)) })
        {
            var p = GetParameter(index, kind, argName);
            if (p.Shape.Count != 1 || p.Shape[0] != shape[0])
            {
                throw new ArgumentException($"BatchNorm parameter '{p.Name}' has shape [{string.Join(",", p.Shape)}]; [{shape[0]}] is needed.", argName);
            }
        }

        return Add(new BatchNormLayer(name, input, shape, weight, bias, epsilon, removable));
    }

    /// <summary>Adds a training-mode BatchNorm2d (γ = 1, β = 0 initially).</summary>
    /// <param name="input">Input layer (a feature map).</param>
    /// <param name="name">Module name; parameters are <c>name.weight</c> and <c>name.bias</c>.</param>
    /// <param name="affine">Whether γ and β exist.</param>
    /// <param name="removable">False for BatchNorms that zero-cost-nas keeps in its BN-free copy.</param>
    /// <param name="epsilon">Variance epsilon.</param>
    /// <returns>The layer index.</returns>
    public int BatchNorm(int input, string name, bool affine = true, bool removable = true, double epsilon = 1e-5)
    {
        var shape = FeatureMap(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        int? w = affine ? AddParameter($"{name}.weight", ParameterKind.BatchNormWeight, [shape[0]], ParameterInit.Constant(1)) : null;
        int? b = affine ? AddParameter($"{name}.bias", ParameterKind.BatchNormBias, [shape[0]], ParameterInit.Constant(0)) : null;
        return Add(new BatchNormLayer(name, input, shape, w, b, epsilon, removable));
    }

    /// <summary>Adds a ReLU.</summary>
    /// <param name="input">Input layer.</param>
    /// <param name="name">Layer name.</param>
    /// <param name="wrapperNamedRelu">True inside NAS-Bench-201's <c>ReLUConvBN</c> (see <see cref="ReluLayer.WrapperNamedRelu"/>).</param>
    /// <returns>The layer index.</returns>
    public int Relu(int input, string? name = null, bool wrapperNamedRelu = false)
        => Add(new ReluLayer(name ?? $"relu{_layers.Count}", input, Get(input).OutputShape, wrapperNamedRelu));

    /// <summary>Adds average pooling.</summary>
    /// <param name="input">Input feature map.</param>
    /// <param name="kernel">Window.</param>
    /// <param name="stride">Stride.</param>
    /// <param name="padding">Padding.</param>
    /// <param name="countIncludePad">Whether padded pixels count in the divisor (PyTorch default true; NAS-Bench-201 cells use false).</param>
    /// <param name="name">Layer name.</param>
    /// <returns>The layer index.</returns>
    public int AvgPool(int input, int kernel, int stride, int padding = 0, bool countIncludePad = true, string? name = null)
        => Pool(input, PoolKind.Average, kernel, stride, padding, countIncludePad, name);

    /// <summary>Adds max pooling (padding behaves as −∞).</summary>
    /// <param name="input">Input feature map.</param>
    /// <param name="kernel">Window.</param>
    /// <param name="stride">Stride.</param>
    /// <param name="padding">Padding.</param>
    /// <param name="name">Layer name.</param>
    /// <returns>The layer index.</returns>
    public int MaxPool(int input, int kernel, int stride, int padding = 0, string? name = null)
        => Pool(input, PoolKind.Max, kernel, stride, padding, false, name);

    /// <summary>Adds a global average pool: [C, H, W] → [C].</summary>
    /// <param name="input">Input feature map.</param>
    /// <param name="name">Layer name.</param>
    /// <returns>The layer index.</returns>
    public int GlobalAvgPool(int input, string? name = null)
        => Add(new GlobalAvgPoolLayer(name ?? $"gap{_layers.Count}", input, FeatureMap(input)));

    /// <summary>Adds a linear layer on a vector input. Default initialisation is PyTorch's: U(±1/√in).</summary>
    /// <param name="input">Input layer (a vector).</param>
    /// <param name="outFeatures">Output features.</param>
    /// <param name="name">Module name; parameters are <c>name.weight</c> and <c>name.bias</c>.</param>
    /// <param name="bias">Whether a bias exists.</param>
    /// <param name="weightInit">Weight initialiser; default U(±1/√in).</param>
    /// <param name="biasInit">Bias initialiser; default U(±1/√in).</param>
    /// <returns>The layer index.</returns>
    public int Linear(int input, int outFeatures, string name, bool bias = true, ParameterInit? weightInit = null, ParameterInit? biasInit = null)
    {
        var shape = Get(input).OutputShape;
        if (shape.Count != 1)
        {
            throw new ArgumentException($"Linear layer '{name}' needs a vector input; layer {input} has shape [{string.Join(",", shape)}].", nameof(input));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        var bound = 1.0 / Math.Sqrt(shape[0]);
        var w = AddParameter($"{name}.weight", ParameterKind.LinearWeight, [outFeatures, shape[0]], weightInit ?? ParameterInit.Uniform(bound));
        int? b = bias ? AddParameter($"{name}.bias", ParameterKind.LinearBias, [outFeatures], biasInit ?? ParameterInit.Uniform(bound)) : null;
        return Add(new LinearLayer(name, input, shape[0], outFeatures, w, b));
    }

    /// <summary>Adds the element-wise sum of same-shaped inputs (a single input is returned unchanged).</summary>
    /// <param name="inputs">Input layers.</param>
    /// <returns>The layer index.</returns>
    public int Add(params int[] inputs) => AddNamed(null, inputs);

    /// <summary>Adds the element-wise sum of same-shaped inputs, with a name (a single input is returned unchanged).</summary>
    /// <param name="name">Layer name.</param>
    /// <param name="inputs">Input layers.</param>
    /// <returns>The layer index.</returns>
    public int AddNamed(string? name, params int[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length == 0)
        {
            throw new ArgumentException("Add needs at least one input.", nameof(inputs));
        }

        if (inputs.Length == 1)
        {
            Get(inputs[0]);
            return inputs[0];
        }

        var shape = Get(inputs[0]).OutputShape;
        foreach (var i in inputs)
        {
            if (!Get(i).OutputShape.SequenceEqual(shape))
            {
                throw new ArgumentException($"Add inputs differ in shape: [{string.Join(",", shape)}] vs [{string.Join(",", Get(i).OutputShape)}].", nameof(inputs));
            }
        }

        return Add(new AddLayer(name ?? $"add{_layers.Count}", [.. inputs], shape));
    }

    /// <summary>Adds the NAS-Bench-201 <c>none</c> op: zeros shaped like the input, kept in the graph.</summary>
    /// <param name="input">Input layer.</param>
    /// <param name="name">Layer name.</param>
    /// <returns>The layer index.</returns>
    public int Zero(int input, string? name = null) => Add(new ZeroLayer(name ?? $"zero{_layers.Count}", input, Get(input).OutputShape));

    /// <summary>Concatenates feature maps along channels (a single input is returned unchanged).</summary>
    /// <param name="inputs">Input layers with equal H and W.</param>
    /// <returns>The layer index.</returns>
    public int Concat(params int[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length == 0)
        {
            throw new ArgumentException("Concat needs at least one input.", nameof(inputs));
        }

        if (inputs.Length == 1)
        {
            FeatureMap(inputs[0]);
            return inputs[0];
        }

        var first = FeatureMap(inputs[0]);
        var channels = 0L;
        foreach (var i in inputs)
        {
            var s = FeatureMap(i);
            if (s[1] != first[1] || s[2] != first[2])
            {
                throw new ArgumentException("Concat inputs differ in spatial size.", nameof(inputs));
            }

            channels += s[0];
        }

        if (!TensorLimits.Fits(channels, first[1], first[2]))
        {
            throw new ArgumentOutOfRangeException(nameof(inputs),
                $"Concat of {channels} channels of {first[1]}x{first[2]} would have {TensorLimits.Format(TensorLimits.Elements(channels, first[1], first[2]))} values per sample; {TensorLimits.Limit}.");
        }

        return Add(new ConcatLayer($"concat{_layers.Count}", [.. inputs], [(int)channels, first[1], first[2]]));
    }

    /// <summary>Keeps the first <paramref name="channels"/> channels (returns the input unchanged when it already has that many).</summary>
    /// <param name="input">Input feature map.</param>
    /// <param name="channels">Channels kept.</param>
    /// <returns>The layer index.</returns>
    public int Truncate(int input, int channels)
    {
        var shape = FeatureMap(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        if (channels > shape[0])
        {
            throw new ArgumentException($"Cannot truncate {shape[0]} channels to {channels}.", nameof(channels));
        }

        return channels == shape[0] ? input : Add(new TruncateLayer($"truncate{_layers.Count}", input, shape, channels));
    }

    /// <summary>Finishes the network; the last layer added must output the logits as a vector.</summary>
    /// <returns>The immutable spec.</returns>
    /// <exception cref="InvalidOperationException">The last layer is not a vector.</exception>
    public NetworkSpec Build()
    {
        if (_layers[^1].OutputShape.Count != 1)
        {
            throw new InvalidOperationException("The last layer must produce the logits (a vector); add GlobalAvgPool and Linear.");
        }

        return new NetworkSpec([.. _layers], [.. _parameters]);
    }

    private int Pool(int input, PoolKind kind, int kernel, int stride, int padding, bool countIncludePad, string? name)
    {
        var shape = FeatureMap(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if (2L * padding > kernel)
        {
            throw new ArgumentException($"Padding {padding} exceeds half the window {kernel}.", nameof(padding));
        }

        CheckWindow(shape, kernel, padding, nameof(kernel));

        return Add(new PoolLayer(name ?? $"pool{_layers.Count}", input, shape, kind, kernel, stride, padding, countIncludePad));
    }

    private int Add(LayerSpec layer)
    {
        var dimensions = layer.OutputShape.Select(d => (long)d).ToArray();
        if (!TensorLimits.Fits(dimensions))
        {
            throw new ArgumentOutOfRangeException(nameof(layer),
                $"Layer '{layer.Name}' would output [{string.Join(",", layer.OutputShape)}] = {TensorLimits.Format(TensorLimits.Elements(dimensions))} values per sample; {TensorLimits.Limit}.");
        }

        _layers.Add(layer);
        return _layers.Count - 1;
    }

    /// <summary>A square window with zero padding must fit the padded input; computed in 64 bits so a huge padding cannot wrap.</summary>
    private static void CheckWindow(IReadOnlyList<int> inShape, int kernel, int padding, string argName)
    {
        if (inShape[1] + (2L * padding) < kernel || inShape[2] + (2L * padding) < kernel)
        {
            throw new ArgumentException($"Kernel {kernel} with padding {padding} does not fit a {inShape[1]}x{inShape[2]} input.", argName);
        }

        if (!TensorLimits.Fits(inShape[1] + (2L * padding), inShape[2] + (2L * padding)))
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"Padding {padding} makes a {inShape[1]}x{inShape[2]} input larger than one tensor holds.");
        }
    }

    private ParameterSpec GetParameter(int index, ParameterKind kind, string argName)
    {
        if ((uint)index >= (uint)_parameters.Count)
        {
            throw new ArgumentOutOfRangeException(argName, index, $"No parameter {index}; {_parameters.Count} declared so far.");
        }

        var p = _parameters[index];
        return p.Kind == kind ? p : throw new ArgumentException($"Parameter '{p.Name}' is a {p.Kind}, not a {kind}.", argName);
    }

    private LayerSpec Get(int layer)
    {
        if ((uint)layer >= (uint)_layers.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"No layer {layer}; the network has {_layers.Count} layers so far.");
        }

        return _layers[layer];
    }

    private IReadOnlyList<int> FeatureMap(int layer)
    {
        var shape = Get(layer).OutputShape;
        if (shape.Count != 3)
        {
            throw new ArgumentException($"Layer {layer} ('{_layers[layer].Name}') is not a feature map.", nameof(layer));
        }

        return shape;
    }

    private static string BiasName(string weightName)
        => weightName.EndsWith("weight", StringComparison.Ordinal) ? string.Concat(weightName.AsSpan(0, weightName.Length - 6), "bias") : weightName + ".bias";

    private static string Strip(string weightName)
        => weightName.EndsWith(".weight", StringComparison.Ordinal) ? weightName[..^7] : weightName;
}
