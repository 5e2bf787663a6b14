namespace GradSign.Tests.Backends.Reference;

/// <summary>ReLU with derivative 0 at 0 (PyTorch). NaN passes through the forward pass, as in PyTorch.</summary>
internal static class ReferenceRelu
{
    public static T[] Forward<T>(T[] x)
        where T : struct, IScalar<T>
    {
        var y = new T[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            y[i] = x[i].Value > 0 || double.IsNaN(x[i].Value) ? x[i] : T.Zero;
        }

        return y;
    }

    public static void Backward<T>(T[] x, T[] gy, T[] gx)
        where T : struct, IScalar<T>
    {
        for (var i = 0; i < x.Length; i++)
        {
            if (x[i].Value > 0)
            {
                gx[i] += gy[i];
            }
        }
    }
}
