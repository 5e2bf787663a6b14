namespace GradSign.Backends.Execution;

/// <summary>Result of <see cref="INetworkExecutor.Backward(Batch, Objective, bool)"/>.</summary>
/// <param name="Value">The objective's value.</param>
/// <param name="ParameterGradients">One array per parameter, in spec order.</param>
/// <param name="InputGradient">∂objective/∂input (NCHW), when requested.</param>
public sealed record GradientResult(double Value, double[][] ParameterGradients, double[]? InputGradient);
