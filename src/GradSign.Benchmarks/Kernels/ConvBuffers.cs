using System.Numerics;
using GradSign.Backends.Managed;
using GradSign.Backends.Managed.Kernels;
using GradSign.Internal;

namespace GradSign.Benchmarks.Kernels;

/// <summary>Seeded operands of one convolution shape and the three kernel calls on them.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class ConvBuffers<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ConvGeometry _g;
    private readonly int _batch;
    private readonly T[] _input, _weight, _bias, _output, _gradOutput, _gradInput, _gradWeight;

    public ConvBuffers(ConvShape shape)
    {
        _g = shape.Geometry.ToGeometry();
        _batch = shape.Batch;
        var rng = new SplitMix64(42);
        T[] Fill(int n)
        {
            var a = new T[n];
            for (var i = 0; i < n; i++)
            {
                a[i] = T.CreateChecked(rng.NextDouble() - 0.5);
            }

            return a;
        }

        _input = Fill(_batch * _g.InputSize);
        _weight = Fill(_g.WeightSize);
        _bias = Fill(_g.OutChannels);
        _output = new T[_batch * _g.OutputSize];
        _gradOutput = Fill(_batch * _g.OutputSize);
        _gradInput = new T[_input.Length];
        _gradWeight = new T[_weight.Length];
    }

    public void Forward(int threads) => Conv2dForward.Run<T>(_g, _batch, _input, _weight, _bias, _output, false, threads);

    /// <summary>The forward pass in the summation order a network's batch pass uses (<see cref="ReferenceRounding"/>:
    /// oneDNN's 16-channel depth blocks for float32 batches of 3×3 convolutions).</summary>
    public void ForwardReference(int threads) => Conv2dForward.Run<T>(_g, _batch, _input, _weight, _bias, _output, false, threads, ReferenceRounding.Convolution<T>(_g, _batch));

    /// <summary>The forward pass on Winograd F(2×2, 3×3) where it applies (what tangent passes use).</summary>
    public void ForwardWinograd(int threads) => Conv2dForward.Run<T>(_g, _batch, _input, _weight, _bias, _output, false, threads, algorithm: ConvAlgorithm.Winograd);

    public void BackwardData(int threads) => Conv2dBackwardData.Run<T>(_g, _batch, _gradOutput, _weight, _gradInput, false, threads);

    /// <summary>Backward-data on the direct algorithm.</summary>
    public void BackwardDataDirect(int threads) => Conv2dBackwardData.Run<T>(_g, _batch, _gradOutput, _weight, _gradInput, false, threads, ConvAlgorithm.Direct);

    public void BackwardWeight(int threads) => Conv2dBackwardWeight.Run<T>(_g, _batch, _input, _gradOutput, _gradWeight, false, threads);

    /// <summary>Backward-weight on the direct algorithm.</summary>
    public void BackwardWeightDirect(int threads) => Conv2dBackwardWeight.Run<T>(_g, _batch, _input, _gradOutput, _gradWeight, false, threads, ConvAlgorithm.Direct);

    /// <summary>Per-sample backward-weight on the direct algorithm.</summary>
    public void BackwardWeightPerSampleDirect(int threads)
    {
        for (var n = 0; n < _batch; n++)
        {
            Conv2dBackwardWeight.Run<T>(_g, 1, _input.AsSpan(n * _g.InputSize, _g.InputSize), _gradOutput.AsSpan(n * _g.OutputSize, _g.OutputSize), _gradWeight, false, threads, ConvAlgorithm.Direct);
        }
    }

    /// <summary>Backward-weight one sample at a time (per-sample gradients), <c>batch</c> calls.</summary>
    public void BackwardWeightPerSample(int threads)
    {
        for (var n = 0; n < _batch; n++)
        {
            Conv2dBackwardWeight.Run<T>(_g, 1, _input.AsSpan(n * _g.InputSize, _g.InputSize), _gradOutput.AsSpan(n * _g.OutputSize, _g.OutputSize), _gradWeight, false, threads);
        }
    }
}
