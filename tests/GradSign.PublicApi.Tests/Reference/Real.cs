namespace GradSign.Tests.Backends.Reference;

/// <summary>A plain float64 number behind <see cref="IScalar{T}"/>.</summary>
/// <param name="Value">The value.</param>
public readonly record struct Real(double Value) : IScalar<Real>
{
    public static Real Zero => default;

    public static Real FromDouble(double value) => new(value);

    public static Real operator +(Real a, Real b) => new(a.Value + b.Value);

    public static Real operator -(Real a, Real b) => new(a.Value - b.Value);

    public static Real operator -(Real a) => new(-a.Value);

    public static Real operator *(Real a, Real b) => new(a.Value * b.Value);

    public static Real operator /(Real a, Real b) => new(a.Value / b.Value);

    public static Real Sqrt(Real x) => new(Math.Sqrt(x.Value));

    public static Real Exp(Real x) => new(Math.Exp(x.Value));

    public static Real Log(Real x) => new(Math.Log(x.Value));
}
