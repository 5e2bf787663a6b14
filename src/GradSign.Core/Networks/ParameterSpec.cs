namespace GradSign.Networks;

/// <summary>What a parameter tensor is for; proxies use it to pick the tensors they score.</summary>
public enum ParameterKind
{
    /// <summary>Convolution weight, shape [out, in, kh, kw]. Scored by the gradient proxies.</summary>
    ConvWeight,
    /// <summary>Convolution bias, shape [out].</summary>
    ConvBias,
    /// <summary>BatchNorm scale γ, shape [channels].</summary>
    BatchNormWeight,
    /// <summary>BatchNorm shift β, shape [channels].</summary>
    BatchNormBias,
    /// <summary>Linear weight, shape [out, in]. Scored by the gradient proxies.</summary>
    LinearWeight,
    /// <summary>Linear bias, shape [out].</summary>
    LinearBias,
}

/// <summary>How a parameter is drawn at initialisation (see <see cref="NetworkWeights.Initialize(NetworkSpec, ulong)"/>).</summary>
/// <param name="Distribution">The distribution.</param>
/// <param name="Scale">Half-width for <see cref="InitDistribution.Uniform"/>, standard deviation for
/// <see cref="InitDistribution.Normal"/>, the value for <see cref="InitDistribution.Constant"/>.</param>
public readonly record struct ParameterInit(InitDistribution Distribution, double Scale)
{
    /// <summary>U(−bound, +bound).</summary>
    /// <param name="bound">The half-width.</param>
    /// <returns>The initialiser.</returns>
    public static ParameterInit Uniform(double bound) => new(InitDistribution.Uniform, bound);

    /// <summary>N(0, std²).</summary>
    /// <param name="std">The standard deviation.</param>
    /// <returns>The initialiser.</returns>
    public static ParameterInit Normal(double std) => new(InitDistribution.Normal, std);

    /// <summary>Every element equal to <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The initialiser.</returns>
    public static ParameterInit Constant(double value) => new(InitDistribution.Constant, value);
}

/// <summary>Distributions used by <see cref="ParameterInit"/>.</summary>
public enum InitDistribution
{
    /// <summary>Uniform on [−Scale, +Scale].</summary>
    Uniform,
    /// <summary>Normal with mean 0 and standard deviation Scale.</summary>
    Normal,
    /// <summary>The constant Scale.</summary>
    Constant,
}

/// <summary>One named parameter tensor of a <see cref="NetworkSpec"/>.</summary>
/// <param name="Index">Position in <see cref="NetworkSpec.Parameters"/>.</param>
/// <param name="Name">Stable name (for NAS-Bench-201 the reference's state-dict name, e.g. <c>stem.net.0.weight</c>).</param>
/// <param name="Kind">What the tensor is.</param>
/// <param name="Shape">Row-major shape.</param>
/// <param name="Init">How it is initialised.</param>
public sealed record ParameterSpec(int Index, string Name, ParameterKind Kind, IReadOnlyList<int> Shape, ParameterInit Init)
{
    /// <summary>Number of elements.</summary>
    public int ElementCount
    {
        get
        {
            var n = 1;
            foreach (var d in Shape)
            {
                n = checked(n * d);
            }

            return n;
        }
    }

    /// <summary>True for conv and linear weights: the tensors the zero-cost references score.</summary>
    public bool IsScored => Kind is ParameterKind.ConvWeight or ParameterKind.LinearWeight;

    /// <summary>Elements of one output slice (fan-in): <c>in·kh·kw</c> for a conv weight, <c>in</c> for a linear weight, 1 otherwise.</summary>
    public int FanIn => Shape.Count > 1 ? ElementCount / Shape[0] : 1;
}
