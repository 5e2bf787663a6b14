namespace GradSign.Backends.Execution;

/// <summary>The scalar a backward pass differentiates.</summary>
public enum Objective
{
    /// <summary>Mean over the batch of the cross-entropy of the logits against the labels.</summary>
    CrossEntropy,
    /// <summary>Sum of every logit of every sample (SynFlow's R; jacob_cov's Jacobian seed).</summary>
    SumOfLogits,
}
