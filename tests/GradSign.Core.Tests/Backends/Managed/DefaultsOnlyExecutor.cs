using GradSign.Backends.Execution;
using GradSign.Backends;

namespace GradSign.Tests.Backends.Managed;

/// <summary>Forwards only the members without default implementations, so the seam's defaults run.</summary>
internal sealed class DefaultsOnlyExecutor(INetworkExecutor inner) : INetworkExecutor
{
    public GradSign.Networks.NetworkSpec Spec => inner.Spec;

    public ExecutionOptions Options => inner.Options;

    public void Dispose()
    {
    }

    public void Forward(Batch batch, Span<double> logits) => inner.Forward(batch, logits);

    public GradientResult Backward(Batch batch, Objective objective, bool inputGradient = false) => inner.Backward(batch, objective, inputGradient);

    public void PerSampleGradients(Batch batch, PerSampleGradientHandler handler, CancellationToken cancellationToken = default)
        => inner.PerSampleGradients(batch, handler, cancellationToken);

    public double[][] HessianVectorProduct(Batch batch, Objective objective, IReadOnlyList<double[]?> vector) => inner.HessianVectorProduct(batch, objective, vector);

    public void ReluCodes(Batch batch, ReluCodeHandler handler) => inner.ReluCodes(batch, handler);

    public IReadOnlyList<LayerSaliency> OutputSaliencies(Batch batch, Objective objective) => inner.OutputSaliencies(batch, objective);
}
