using System.Numerics;

namespace GradSign.Backends.Managed.Kernels;

/// <summary>Max pooling backward: each output gradient is added to the input element that won its window.</summary>
internal static class MaxPool2dBackward
{
    /// <summary>Planes [<paramref name="firstPlane"/>, +<paramref name="planeCount"/>); without <paramref name="accumulate"/> the input gradient is overwritten.</summary>
    public static void Run<T>(in PoolGeometry g, ReadOnlySpan<T> gradOutput, ReadOnlySpan<int> argMax, Span<T> gradInput, bool accumulate, int firstPlane, int planeCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var p = firstPlane; p < firstPlane + planeCount; p++)
        {
            var dx = gradInput.Slice(p * g.InputPlane, g.InputPlane);
            var dy = gradOutput.Slice(p * g.OutputPlane, g.OutputPlane);
            var a = argMax.Slice(p * g.OutputPlane, g.OutputPlane);
            if (!accumulate)
            {
                dx.Clear();
            }

            for (var i = 0; i < dy.Length; i++)
            {
                dx[a[i]] += dy[i];
            }
        }
    }
}
