using System.Numerics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>Max pooling's tangent with the routing fixed by the forward pass: <c>ẏ[o] = ẋ[argMax[o]]</c>.</summary>
internal static class MaxPool2dGather
{
    /// <summary>Planes [<paramref name="firstPlane"/>, +<paramref name="planeCount"/>).</summary>
    public static void Run<T>(in PoolGeometry g, ReadOnlySpan<T> inputDot, ReadOnlySpan<int> argMax, Span<T> outputDot, int firstPlane, int planeCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var p = firstPlane; p < firstPlane + planeCount; p++)
        {
            var x = inputDot.Slice(p * g.InputPlane, g.InputPlane);
            var y = outputDot.Slice(p * g.OutputPlane, g.OutputPlane);
            var a = argMax.Slice(p * g.OutputPlane, g.OutputPlane);
            for (var i = 0; i < y.Length; i++)
            {
                y[i] = x[a[i]];
            }
        }
    }
}
