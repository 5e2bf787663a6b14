using System.Numerics;
using System.Numerics.Tensors;
using GradSign.Backends.Managed.Kernels;
using static GradSign.Tests.Backends.Managed.Kernels.KernelTestData;

namespace GradSign.Tests.Backends.Managed.Kernels;

/// <summary>
/// <see cref="SumRelu"/> against the scalar reference <c>max(a + b, 0)</c> and against the two passes it replaces
/// (<see cref="TensorPrimitives.Add{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/> then <see cref="ReluForward"/>):
/// bit-identical on odd lengths (vector body and scalar tail), with zeros of both signs, NaN and infinities mixed in.
/// </summary>
[Trait("Category", "Kernels")]
public class SumReluKernelTests
{
    public static TheoryData<int> Lengths() => [0, 1, 3, 7, 15, 16, 17, 31, 33, 63, 65, 1031];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Float_BitIdenticalToReferenceAndTwoPasses(int length) => Check<float>(length, 81);

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Double_BitIdenticalToReferenceAndTwoPasses(int length) => Check<double>(length, 82);

    [Theory]
    [MemberData(nameof(Lengths))]
    public void InPlace_RunningSumAsFirstOperand(int length)
    {
        var a = WithSpecials(Random<float>(length, 83), 5);
        var b = WithSpecials(Random<float>(length, 84), 5);
        var expected = Reference<float>(a, b);
        SumRelu.Run<float>(a, b, a);
        Assert.Equal(Bits(expected), Bits(a));
    }

    private static void Check<T>(int length, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = WithSpecials(Random<T>(length, seed), 5);
        var b = WithSpecials(Random<T>(length, seed + 100), 5);
        var y = new T[length];
        SumRelu.Run<T>(a, b, y);

        var twoPasses = new T[length];
        TensorPrimitives.Add<T>(a, b, twoPasses);
        ReluForward.Run<T>(twoPasses, twoPasses);

        Assert.Equal(Bits(Reference(a, b)), Bits(y));
        Assert.Equal(Bits(twoPasses), Bits(y));
    }

    /// <summary>The scalar reference: each element's sum rounded, then ReLU (NaN kept, −0 and negatives to +0).</summary>
    private static T[] Reference<T>(T[] a, T[] b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = new T[a.Length];
        for (var i = 0; i < y.Length; i++)
        {
            var s = a[i] + b[i];
            y[i] = T.IsNaN(s) ? s : (s > T.Zero ? s : T.Zero);
        }

        return y;
    }
}
