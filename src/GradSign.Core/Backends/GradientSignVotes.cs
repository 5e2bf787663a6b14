namespace GradSign.Backends;

/// <summary>
/// GradSign's reduction of the per-sample gradients of one parameter: for every element k,
/// <c>Votes[k] = Σ_i sign(∂ℓ(x_i, y_i)/∂θ[k])</c> with <c>sign(±0) = 0</c>, and <c>NanFlags[k] ≠ 0</c> when the gradient
/// of any sample was NaN there (its votes are then meaningless and the element is dropped, as <c>np.nansum</c> does).
/// </summary>
/// <param name="Parameter">Index of the parameter in <see cref="Networks.NetworkSpec.Parameters"/>.</param>
/// <param name="Votes">One signed vote count per element.</param>
/// <param name="NanFlags">Non-zero where some sample's gradient was NaN.</param>
public sealed record GradientSignVotes(int Parameter, int[] Votes, int[] NanFlags)
{
    /// <summary><c>Σ_k |Votes[k]|</c> over the elements without NaN, exactly, and the number of NaN elements.</summary>
    /// <returns>The absolute vote sum and the count of dropped (NaN) elements.</returns>
    public (long AbsoluteSum, int NanCount) Sum() => SignAccumulator.AbsoluteSum(Votes, NanFlags);

    /// <summary>Zeroed vote buffers for <paramref name="parameters"/> of <paramref name="spec"/>, after checking the indices.</summary>
    internal static GradientSignVotes[] Allocate(Networks.NetworkSpec spec, IReadOnlyList<int> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var seen = new HashSet<int>();
        var votes = new GradientSignVotes[parameters.Count];
        for (var i = 0; i < votes.Length; i++)
        {
            var p = parameters[i];
            if ((uint)p >= (uint)spec.Parameters.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(parameters), p, $"parameters[{i}] = {p} is not a parameter index of the network (0..{spec.Parameters.Count - 1}).");
            }

            if (!seen.Add(p))
            {
                throw new ArgumentException($"parameters[{i}] = {p} is requested twice.", nameof(parameters));
            }

            var n = spec.Parameters[p].ElementCount;
            votes[i] = new GradientSignVotes(p, new int[n], new int[n]);
        }

        return votes;
    }
}
