namespace GradSign.Tests.Backends.Reference;

/// <summary>
/// The few operations the reference layers need, so every layer is written once and runs on plain
/// <see cref="Real"/> numbers (forward/backward) or on <see cref="Dual"/> numbers (Hessian-vector products).
/// </summary>
/// <typeparam name="T">The implementing struct.</typeparam>
public interface IScalar<T>
    where T : struct, IScalar<T>
{
    /// <summary>The ordinary (primal) value; branches (ReLU, max) look only at it.</summary>
    double Value { get; }

    /// <summary>Zero.</summary>
    static abstract T Zero { get; }

    /// <summary>A constant (zero tangent).</summary>
    static abstract T FromDouble(double value);

    static abstract T operator +(T a, T b);

    static abstract T operator -(T a, T b);

    static abstract T operator -(T a);

    static abstract T operator *(T a, T b);

    static abstract T operator /(T a, T b);

    /// <summary>Square root.</summary>
    static abstract T Sqrt(T x);

    /// <summary>Natural exponential.</summary>
    static abstract T Exp(T x);

    /// <summary>Natural logarithm.</summary>
    static abstract T Log(T x);
}
