using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Tests.Backends.Reference;

/// <summary>
/// A deliberately naive, obviously-correct float64 implementation of the backend seam, built only on the public
/// API of GradSign.Core. It is the oracle the fast backends are compared with (see
/// <c>BackendConformanceTests</c>) and the proof that the seam is pluggable.
/// </summary>
/// <remarks>
/// Every layer is an explicit forward and reverse-mode backward loop (<see cref="ReferenceGraph"/>), written once
/// over <see cref="IScalar{T}"/>: on <see cref="Real"/> for values and gradients, on <see cref="Dual"/> numbers
/// for exact Hessian-vector products (forward-over-reverse). Everything is computed in float64 whatever
/// <see cref="ExecutionOptions.Precision"/> says: the weights and inputs are float32 already, so
/// <see cref="Precision.Float32"/> gives the float64 result of the float32 inputs (more accurate than a float32
/// backend, never less). <see cref="ExecutionOptions.MaxDegreeOfParallelism"/> is ignored (single thread).
/// </remarks>
public sealed class ReferenceBackend : ITensorBackend
{
    public string Name => "reference";

    public BackendCapabilities Capabilities => BackendCapabilities.All;

    public INetworkExecutor Compile(NetworkWeights weights, ExecutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        var parameters = new double[weights.Spec.Parameters.Count][];
        for (var i = 0; i < parameters.Length; i++)
        {
            var source = weights[i];
            var copy = parameters[i] = new double[source.Length];
            for (var j = 0; j < source.Length; j++)
            {
                copy[j] = options.ParameterTransform == ParameterTransform.Absolute ? Math.Abs((double)source[j]) : source[j];
            }
        }

        return new ReferenceExecutor(weights.Spec, options, parameters);
    }
}
