using GradSign.Networks;

namespace GradSign.Backends.Execution;

/// <summary>Receives the output of one layer (<see cref="INetworkExecutor.LayerOutputs"/>).</summary>
/// <param name="layer">Index of the layer in <see cref="NetworkSpec.Layers"/>.</param>
/// <param name="values">Its output for the whole batch, as float64 whatever the precision; valid only during the call.</param>
public delegate void LayerOutputHandler(int layer, ReadOnlySpan<double> values);

/// <summary>Receives the gradient of one parameter.</summary>
/// <param name="parameter">Index of the parameter in <see cref="NetworkSpec.Parameters"/>.</param>
/// <param name="gradient">Its gradient, as float64 whatever the precision; valid only during the call.</param>
public delegate void ParameterGradientHandler(int parameter, ReadOnlySpan<double> gradient);

/// <summary>Receives the sign votes of one parameter (<see cref="INetworkExecutor.PerSampleGradientSignVotes"/>).</summary>
/// <param name="parameter">Index of the parameter in <see cref="NetworkSpec.Parameters"/>.</param>
/// <param name="votes">Per element, the sum over samples of the gradient's sign; valid only during the call.</param>
/// <param name="nanFlags">Per element, non-zero where some sample's gradient was NaN; valid only during the call.</param>
public delegate void SignVoteHandler(int parameter, ReadOnlySpan<int> votes, ReadOnlySpan<int> nanFlags);

/// <summary>Receives the gradients of one sample.</summary>
/// <param name="sample">Sample index.</param>
/// <param name="gradients">One span per parameter, in spec order; valid only during the call.</param>
public delegate void PerSampleGradientHandler(int sample, IReadOnlyList<double[]> gradients);

/// <summary>Receives the binary codes of one ReLU layer.</summary>
/// <param name="codes">The codes; valid only during the call.</param>
public delegate void ReluCodeHandler(in ReluCodeBlock codes);
