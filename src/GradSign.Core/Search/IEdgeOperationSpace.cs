namespace GradSign.Search;

/// <summary>
/// A search space whose architectures are one categorical choice per edge (NAS-Bench-201: 6 edges × 5 operations), as a
/// REINFORCE policy needs: one softmax per edge.
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
public interface IEdgeOperationSpace<TArch> : ISearchSpace<TArch>
    where TArch : notnull
{
    /// <summary>Number of edges (choices).</summary>
    int EdgeCount { get; }

    /// <summary>Number of operations each edge chooses from.</summary>
    int OperationCount { get; }

    /// <summary>The architecture with operation <c>operations[e]</c> on edge <c>e</c>. It may lie outside a restricted space.</summary>
    /// <param name="operations"><see cref="EdgeCount"/> values in [0, <see cref="OperationCount"/>).</param>
    /// <returns>The architecture.</returns>
    /// <exception cref="ArgumentException">Wrong length or an operation out of range.</exception>
    TArch Compose(ReadOnlySpan<int> operations);

    /// <summary>Writes the operation of each edge.</summary>
    /// <param name="arch">The architecture.</param>
    /// <param name="operations">Destination of length <see cref="EdgeCount"/>.</param>
    void Decompose(TArch arch, Span<int> operations);
}
