using GradSign.Backends;
using GradSign.Networks;

namespace GradSign.Tests.Backends.Reference;

/// <summary>
/// Forward and reverse-mode backward over a <see cref="NetworkSpec"/> graph, layer by layer, on any
/// <see cref="IScalar{T}"/>. The forward pass keeps every layer's output; the backward pass walks the layers in
/// reverse topological order, each layer adding its input gradients into the gradient arrays of the layers it
/// reads (so fan-out is summed) and its parameter gradients into the parameter arrays.
/// </summary>
internal static class ReferenceGraph
{
    /// <summary>Every layer's output, one flat NCHW (or [n, F]) array per layer, for a batch of <paramref name="n"/>.</summary>
    public static T[][] Forward<T>(NetworkSpec spec, BatchNormMode mode, T[][] parameters, T[] input, int n)
        where T : struct, IScalar<T>
    {
        var acts = new T[spec.Layers.Count][];
        acts[0] = input;
        for (var l = 1; l < spec.Layers.Count; l++)
        {
            var layer = spec.Layers[l];
            var x = acts[layer.Inputs[0]];
            var inShape = spec.Layers[layer.Inputs[0]].OutputShape.ToArray();
            acts[l] = layer switch
            {
                Conv2dLayer conv => ReferenceConv2d.Forward(conv, inShape, x, n, parameters[conv.Weight], Optional(parameters, conv.Bias)),
                BatchNormLayer bn when IsIdentity(bn, mode) => x,
                BatchNormLayer bn => ReferenceBatchNorm.Forward(bn.Channels, inShape[1] * inShape[2], bn.Epsilon, x, n, Optional(parameters, bn.Weight), Optional(parameters, bn.Bias)),
                ReluLayer => ReferenceRelu.Forward(x),
                PoolLayer pool => ReferencePool.Forward(pool, inShape, x, n),
                GlobalAvgPoolLayer => ReferenceShapeOps.GlobalAvgPoolForward(x, n * inShape[0], inShape[1] * inShape[2]),
                LinearLayer linear => ReferenceLinear.Forward(linear, x, n, parameters[linear.Weight], Optional(parameters, linear.Bias)),
                AddLayer => ReferenceShapeOps.AddForward(layer.Inputs.Select(i => acts[i]).ToArray()),
                ZeroLayer => new T[x.Length],
                ConcatLayer => Concat(spec, layer, acts, n),
                TruncateLayer truncate => ReferenceShapeOps.TruncateForward(x, n, inShape[0], truncate.Channels, inShape[1] * inShape[2]),
                _ => throw new NotSupportedException($"The reference backend does not know layer type {layer.GetType().Name} ('{layer.Name}')."),
            };
        }

        return acts;
    }

    /// <summary>
    /// Backpropagates <paramref name="logitsGradient"/> (∂objective/∂logits) through the graph.
    /// </summary>
    /// <returns>∂objective/∂parameter per parameter, and ∂objective/∂(output of layer l) per layer (entry 0 is the input gradient).</returns>
    public static (T[][] ParameterGradients, T[][] LayerGradients) Backward<T>(NetworkSpec spec, BatchNormMode mode, T[][] parameters, T[][] acts, int n, T[] logitsGradient)
        where T : struct, IScalar<T>
    {
        var grads = acts.Select(a => new T[a.Length]).ToArray();
        var pGrads = parameters.Select(p => new T[p.Length]).ToArray();
        logitsGradient.CopyTo(grads[^1], 0);
        for (var l = spec.Layers.Count - 1; l >= 1; l--)
        {
            var layer = spec.Layers[l];
            var gy = grads[l];
            var input = layer.Inputs[0];
            var (x, gx) = (acts[input], grads[input]);
            var inShape = spec.Layers[input].OutputShape.ToArray();
            switch (layer)
            {
                case Conv2dLayer conv:
                    ReferenceConv2d.Backward(conv, inShape, x, gy, n, parameters[conv.Weight], gx, pGrads[conv.Weight], Optional(pGrads, conv.Bias));
                    break;
                case BatchNormLayer bn when IsIdentity(bn, mode):
                    ReferenceShapeOps.AddBackward(gy, gx);
                    break;
                case BatchNormLayer bn:
                    ReferenceBatchNorm.Backward(bn.Channels, inShape[1] * inShape[2], bn.Epsilon, x, gy, n, Optional(parameters, bn.Weight), gx, Optional(pGrads, bn.Weight), Optional(pGrads, bn.Bias));
                    break;
                case ReluLayer:
                    ReferenceRelu.Backward(x, gy, gx);
                    break;
                case PoolLayer pool:
                    ReferencePool.Backward(pool, inShape, x, gy, n, gx);
                    break;
                case GlobalAvgPoolLayer:
                    ReferenceShapeOps.GlobalAvgPoolBackward(gy, n * inShape[0], inShape[1] * inShape[2], gx);
                    break;
                case LinearLayer linear:
                    ReferenceLinear.Backward(linear, x, gy, n, parameters[linear.Weight], gx, pGrads[linear.Weight], Optional(pGrads, linear.Bias));
                    break;
                case AddLayer:
                    foreach (var i in layer.Inputs)
                    {
                        ReferenceShapeOps.AddBackward(gy, grads[i]);
                    }

                    break;
                case ZeroLayer:
                    // x·0: the input receives an exactly-zero gradient, i.e. nothing is added.
                    break;
                case ConcatLayer:
                    ReferenceShapeOps.ConcatCopy(gy, layer.Inputs.Select(i => grads[i]).ToArray(), ChannelsOf(spec, layer), n, Spatial(spec, layer), scatter: true);
                    break;
                case TruncateLayer truncate:
                    ReferenceShapeOps.TruncateBackward(gy, n, inShape[0], truncate.Channels, inShape[1] * inShape[2], gx);
                    break;
                default:
                    throw new NotSupportedException($"The reference backend does not know layer type {layer.GetType().Name} ('{layer.Name}').");
            }
        }

        return (pGrads, grads);
    }

    /// <summary>Whether a BatchNorm runs as identity under <paramref name="mode"/>.</summary>
    public static bool IsIdentity(BatchNormLayer layer, BatchNormMode mode) => mode switch
    {
        BatchNormMode.KeepAll => false,
        BatchNormMode.RemoveRemovable => layer.Removable,
        BatchNormMode.RemoveAll => true,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown BatchNorm mode."),
    };

    private static T[]? Optional<T>(T[][] arrays, int? index) => index is int i ? arrays[i] : null;

    private static T[] Concat<T>(NetworkSpec spec, LayerSpec layer, T[][] acts, int n)
        where T : struct, IScalar<T>
    {
        var shape = layer.OutputShape;
        var y = new T[n * shape[0] * shape[1] * shape[2]];
        ReferenceShapeOps.ConcatCopy(y, layer.Inputs.Select(i => acts[i]).ToArray(), ChannelsOf(spec, layer), n, Spatial(spec, layer), scatter: false);
        return y;
    }

    private static int[] ChannelsOf(NetworkSpec spec, LayerSpec layer) => [.. layer.Inputs.Select(i => spec.Layers[i].OutputShape[0])];

    private static int Spatial(NetworkSpec spec, LayerSpec layer) => layer.OutputShape[1] * layer.OutputShape[2];
}
