namespace GradSign.Proxies;

/// <summary>How many times each ReLU's codes enter the NASWOT kernel.</summary>
public enum NaswotReluMultiplicity
{
    /// <summary>
    /// As BayesWatch's <c>hook_logdet</c> does (default): a ReLU wrapped in a module whose class name contains "ReLU"
    /// (NAS-Bench-201's <c>ReLUConvBN</c>, <see cref="Networks.ReluLayer.WrapperNamedRelu"/>) counts twice, every
    /// other ReLU once.
    /// </summary>
    Reference,

    /// <summary>Every ReLU once, as the paper describes (and NASLib's <c>nwot</c>).</summary>
    Once,
}

/// <summary>Options of <see cref="NaswotProxy"/>. Immutable.</summary>
public sealed record NaswotOptions
{
    /// <summary>The reference configuration.</summary>
    public static NaswotOptions Default { get; } = new();

    /// <summary>ReLU multiplicity.</summary>
    public NaswotReluMultiplicity Multiplicity { get; init; } = NaswotReluMultiplicity.Reference;
}
