namespace GradSign.Tests.Backends.Reference;

/// <summary>
/// A forward-mode dual number <c>Value + ε·Tangent</c> with ε² = 0. Running the reference gradient computation
/// with every parameter set to <c>θ + ε·v</c> yields, in the tangents of the gradient, the exact directional
/// derivative of the gradient: the Hessian-vector product H·v (forward-over-reverse). Branches (ReLU masks,
/// max-pool winners) look only at <see cref="Value"/>, so they are locally constant and contribute no second
/// derivative — exactly ReLU'' = 0.
/// </summary>
/// <param name="Value">The primal value.</param>
/// <param name="Tangent">The derivative along the chosen direction.</param>
public readonly record struct Dual(double Value, double Tangent) : IScalar<Dual>
{
    public static Dual Zero => default;

    public static Dual FromDouble(double value) => new(value, 0);

    public static Dual operator +(Dual a, Dual b) => new(a.Value + b.Value, a.Tangent + b.Tangent);

    public static Dual operator -(Dual a, Dual b) => new(a.Value - b.Value, a.Tangent - b.Tangent);

    public static Dual operator -(Dual a) => new(-a.Value, -a.Tangent);

    // Product rule.
    public static Dual operator *(Dual a, Dual b) => new(a.Value * b.Value, (a.Value * b.Tangent) + (a.Tangent * b.Value));

    // Quotient rule: (a/b)' = (a' − (a/b)·b') / b.
    public static Dual operator /(Dual a, Dual b)
    {
        var q = a.Value / b.Value;
        return new(q, (a.Tangent - (q * b.Tangent)) / b.Value);
    }

    public static Dual Sqrt(Dual x)
    {
        var s = Math.Sqrt(x.Value);
        return new(s, x.Tangent / (2 * s));
    }

    public static Dual Exp(Dual x)
    {
        var e = Math.Exp(x.Value);
        return new(e, x.Tangent * e);
    }

    public static Dual Log(Dual x) => new(Math.Log(x.Value), x.Tangent / x.Value);
}
