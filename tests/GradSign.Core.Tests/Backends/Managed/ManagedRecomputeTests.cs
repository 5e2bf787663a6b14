using GradSign.Backends;
using GradSign.Backends.Execution;
using GradSign.Backends.Managed;
using GradSign.Networks;
using GradSign.SearchSpaces.NasBench101;
using GradSign.SearchSpaces.NasBench201;
using Xunit.Abstractions;

namespace GradSign.Tests.Backends.Managed;

/// <summary>
/// Values the backward passes read but that cheap layers recompute (<see cref="RecomputePlan"/>) give the same results,
/// bit for bit, as keeping them, and the passes hold less memory.
/// </summary>
public sealed class ManagedRecomputeTests(ITestOutputHelper output)
{
    private const string BestCell = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";

    public static TheoryData<string, Precision> Networks()
    {
        var data = new TheoryData<string, Precision>();
        foreach (var (name, _) in TestNets.All())
        {
            data.Add(name, Precision.Float64);
        }

        foreach (var name in new[] { "nb201-best", "nb201-mixed", "nb201-official", "nb201-skips", "nb101" })
        {
            data.Add(name, Precision.Float32);
            data.Add(name, Precision.Float64);
        }

        data.Add(nameof(TestNets.MiniResNet), Precision.Float32);
        return data;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void EveryPass_Recomputing_BitIdenticalToKeeping(string net, Precision precision)
    {
        var spec = Spec(net);
        var weights = TestNets.Weights(spec, 31);
        var options = new ExecutionOptions { Precision = precision };

        // Batch 8 runs the sweep that computes weight gradients layer by layer; batch 4 the one that runs them after it.
        foreach (var count in new[] { 8, 4 })
        {
            var batch = TestNets.RandomBatch(spec, count, 32);
            using var keeping = new ManagedBackend(new ManagedBackendOptions { RecomputeCheapLayers = false });
            using var recomputing = new ManagedBackend();
            var expected = Run(keeping, weights, options, batch);
            var actual = Run(recomputing, weights, options, batch);
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i], actual[i]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void ReluCodes_AfterBackwardOnSameBatch_ReuseTheHeldForward(string net, Precision precision)
    {
        // NASWOT after SNIP on one network: the codes come from the backward pass's held forward (ReLU outputs kept or
        // recomputed by cheap layers), bit-identical to a fresh forward, with and without recomputation.
        var spec = Spec(net);
        var weights = TestNets.Weights(spec, 41);
        var options = new ExecutionOptions { Precision = precision };
        var batch = TestNets.RandomBatch(spec, 6, 42);
        foreach (var recompute in new[] { true, false })
        {
            using var backend = new ManagedBackend(new ManagedBackendOptions { RecomputeCheapLayers = recompute });
            List<double[]> expected;
            using (var fresh = backend.Compile(weights, options))
            {
                expected = Codes(fresh, batch);
            }

            using var e = backend.Compile(weights, options);
            e.Backward(batch, Objective.CrossEntropy, (_, _) => { });
            var forwards = ForwardPassesRun(e);
            var actual = Codes(e, batch);
            Assert.Equal(forwards, ForwardPassesRun(e));
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i], actual[i]);
            }

            // Twice (the recomputed ReLU outputs were given back); then after a Hessian-vector product, which may have
            // given back held values (segments it recomputes) and then runs a forward of its own.
            Assert.Equal(expected.SelectMany(c => c), Codes(e, batch).SelectMany(c => c));
            Assert.Equal(forwards, ForwardPassesRun(e));
            e.HessianVectorProduct(batch, Objective.CrossEntropy, [.. spec.Parameters.Select(p => new double[p.ElementCount])]);
            Assert.Equal(expected.SelectMany(c => c), Codes(e, batch).SelectMany(c => c));
            forwards = ForwardPassesRun(e);

            // A per-sample pass replaces the held forward: the codes then run their own.
            e.Backward(batch, Objective.CrossEntropy, (_, _) => { });
            e.PerSampleGradients(batch, (_, _) => { });
            Assert.Equal(expected.SelectMany(c => c), Codes(e, batch).SelectMany(c => c));
            Assert.True(ForwardPassesRun(e) > forwards + 1);
        }
    }

    [Fact]
    public void BackwardPass_Nb201Cell_KeepsAndHoldsLess()
    {
        // Per cell the best cell reads five BatchNorm outputs and three ReLU outputs after the forward pass; the ReLU
        // outputs of the inner nodes (sums of BatchNorm outputs) and, but for one checkpoint every few cells, of the cells'
        // inputs are recomputed, so well under three quarters of the values stay, and the pass's peak falls by nearly as
        // much as the values no longer kept.
        var spec = NasBench201Network.Build(BestCell, new NasBench201NetworkOptions(InputSize: 16));
        var weights = TestNets.Weights(spec, 5);
        var batch = TestNets.RandomBatch(spec, 8, 6);
        var kept = KeptBytes(new ManagedBackend(), weights, batch.Count);
        var keptWithout = KeptBytes(new ManagedBackend(new ManagedBackendOptions { RecomputeCheapLayers = false }), weights, batch.Count);
        Assert.True(kept < 0.7 * keptWithout, $"kept {kept} vs {keptWithout}");
        var keeping = HighWater(new ManagedBackend(new ManagedBackendOptions { RecomputeCheapLayers = false }), weights, e => e.Backward(batch, Objective.CrossEntropy, (_, _) => { }));
        var recomputing = HighWater(new ManagedBackend(), weights, e => e.Backward(batch, Objective.CrossEntropy, (_, _) => { }));
        output.WriteLine($"kept {kept} of {keptWithout}; peak {recomputing} vs {keeping}");
        Assert.True(recomputing <= keeping - (0.8 * (keptWithout - kept)), $"recomputing {recomputing} vs keeping {keeping}, kept {kept} vs {keptWithout}");
    }

    [Fact]
    public void HessianVectorProduct_Nb201Cell_HoldsLessThanKeeping()
    {
        // Values and tangents are both recomputed: the peak falls by at least the values no longer kept.
        var spec = NasBench201Network.Build(BestCell, new NasBench201NetworkOptions(InputSize: 16));
        var weights = TestNets.Weights(spec, 5);
        var batch = TestNets.RandomBatch(spec, 8, 6);
        var v = spec.Parameters.Select(p => new double[p.ElementCount]).ToArray();
        var kept = KeptBytes(new ManagedBackend(), weights, batch.Count);
        var keptWithout = KeptBytes(new ManagedBackend(new ManagedBackendOptions { RecomputeCheapLayers = false }), weights, batch.Count);
        var keeping = HighWater(new ManagedBackend(new ManagedBackendOptions { RecomputeCheapLayers = false }), weights, e => e.HessianVectorProduct(batch, Objective.CrossEntropy, v));
        var recomputing = HighWater(new ManagedBackend(), weights, e => e.HessianVectorProduct(batch, Objective.CrossEntropy, v));
        output.WriteLine($"kept {kept} of {keptWithout}; peak {recomputing} vs {keeping}");
        Assert.True(recomputing <= keeping - (keptWithout - kept), $"recomputing {recomputing} vs keeping {keeping}, kept {kept} vs {keptWithout}");
    }

    [Fact]
    public void HessianVectorProduct_AfterBackward_GivesKeptTangentsBackDuringTheSweep()
    {
        // GraSP's order: a backward pass holds the forward values, the product reuses them. Its tangent sweep is the last
        // reader of the kept tangents, so each goes once the sweep has passed its last reader (or the last reader of a
        // value recomputed from it). The peak is then the kept values and tangents, the parameters' gradients, tangents
        // and gradient tangents, and about 13 activations of gradients and recomputed values; holding every tangent to
        // the end of the sweep added the first stage's frontier on top (about 20).
        var spec = NasBench201Network.Build(BestCell, new NasBench201NetworkOptions(InputSize: 16));
        var weights = TestNets.Weights(spec, 5);
        var batch = TestNets.RandomBatch(spec, 8, 6);
        var kept = KeptBytes(new ManagedBackend(), weights, batch.Count);
        var activation = spec.Layers.Max(l => l.OutputShape.Aggregate(1L, (a, d) => a * d)) * batch.Count * sizeof(float);
        var parameters = spec.Parameters.Sum(p => (long)p.ElementCount) * sizeof(float);
        using var backend = new ManagedBackend();
        using var e = backend.Compile(weights, ExecutionOptions.Default);
        var idle = backend.Pool.InUseBytes;
        var g = e.Backward(batch, Objective.CrossEntropy).ParameterGradients;
        backend.Pool.ResetHighWater();
        e.HessianVectorProduct(batch, Objective.CrossEntropy, g);
        var peak = backend.Pool.HighWaterBytes - idle;
        var floor = (2 * kept) + (3 * parameters);
        output.WriteLine($"peak {peak}, kept {kept}, parameters {parameters}, activation {activation}: {(peak - floor) / (double)activation:F2} activations above");
        Assert.True(peak <= floor + (16 * activation), $"peak {peak} vs 2 × kept {kept} + 3 × parameters {parameters} + 16 × activation {activation}");
    }

    [Fact]
    public void OutputSaliencies_Nb201Cell_RecomputesBatchNormOutputsFromTheKeptActivations()
    {
        // Saliencies keep every conv output; the BatchNorm outputs after them are recomputed rather than kept as well,
        // so the pass holds little more than a plain backward pass.
        var spec = NasBench201Network.Build(BestCell, new NasBench201NetworkOptions(InputSize: 16));
        var weights = TestNets.Weights(spec, 5);
        var batch = TestNets.RandomBatch(spec, 8, 6);
        var backward = HighWater(new ManagedBackend(), weights, e => e.Backward(batch, Objective.CrossEntropy, (_, _) => { }));
        var saliencies = HighWater(new ManagedBackend(), weights, e => e.OutputSaliencies(batch, Objective.CrossEntropy));
        Assert.True(saliencies < 1.2 * backward, $"saliencies {saliencies} vs backward {backward}");
    }

    [Fact]
    public void LayerOutputs_StreamsTheRequestedLayers()
    {
        // Handing every layer over holds what a forward pass holds, plus one float64 copy of the largest layer.
        var spec = NasBench201Network.Build(BestCell, new NasBench201NetworkOptions(InputSize: 16));
        var weights = TestNets.Weights(spec, 5);
        var batch = TestNets.RandomBatch(spec, 8, 6);
        var all = Enumerable.Range(0, spec.Layers.Count).ToArray();
        var largest = spec.Layers.Max(l => l.OutputShape.Aggregate(1L, (a, d) => a * d)) * batch.Count * sizeof(double);
        var forward = HighWater(new ManagedBackend(), weights, e => e.Forward(batch, new double[batch.Count * spec.NumClasses]));
        var outputs = HighWater(new ManagedBackend(), weights, e => e.LayerOutputs(batch, all, (_, _) => { }));
        Assert.True(outputs <= forward + largest, $"layer outputs {outputs} vs forward {forward} + {largest}");

        // Same values, in the same order, as a pass keeping every layer.
        var expected = new List<(int, double[])>();
        var actual = new List<(int, double[])>();
        using (var keeping = new ManagedBackend(new ManagedBackendOptions { RecomputeCheapLayers = false }))
        using (var e = keeping.Compile(weights, ExecutionOptions.Default))
        {
            e.LayerOutputs(batch, all, (l, values) => expected.Add((l, values.ToArray())));
        }

        using (var e = TestNets.Managed.Compile(weights, ExecutionOptions.Default))
        {
            e.LayerOutputs(batch, [.. all.Reverse()], (l, values) => actual.Add((l, values.ToArray())));
        }

        Assert.Equal(expected.Select(x => x.Item1), actual.Select(x => x.Item1));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Item2, actual[i].Item2);
        }
    }

    [Fact]
    public void Backward_HoldsNoGradientsAfterwards()
    {
        // A full backward pass (GraSP's first half, jacob_cov) ends holding what a streamed one holds: no activation
        // gradient waits for a Hessian-vector product that may never come (that product recomputes them).
        var spec = NasBench201Network.Build(BestCell, new NasBench201NetworkOptions(InputSize: 16));
        var weights = TestNets.Weights(spec, 5);
        var batch = TestNets.RandomBatch(spec, 8, 6);
        using var backend = new ManagedBackend();
        using var e = backend.Compile(weights, ExecutionOptions.Default);
        var idle = backend.Pool.InUseBytes;
        e.Backward(batch, Objective.CrossEntropy, (_, _) => { });
        var streamed = backend.Pool.InUseBytes - idle;
        e.Backward(batch, Objective.SumOfLogits, inputGradient: true);
        var full = backend.Pool.InUseBytes - idle;
        var input = (long)batch.Images.Length * sizeof(float);
        Assert.True(full <= streamed + input, $"full {full} vs streamed {streamed} + input gradient {input}");
    }

    private static long KeptBytes(ManagedBackend backend, NetworkWeights weights, int batch)
    {
        using (backend)
        {
            using var e = (ManagedExecutor<float>)backend.Compile(weights, ExecutionOptions.Default);
            return e.KeptValueBytes(ForwardKeep.Backward, batch);
        }
    }

    private static long HighWater(ManagedBackend backend, NetworkWeights weights, Action<INetworkExecutor> pass)
    {
        using (backend)
        {
            using var e = backend.Compile(weights, ExecutionOptions.Default);
            var idle = backend.Pool.InUseBytes;
            backend.Pool.ResetHighWater();
            pass(e);
            return backend.Pool.HighWaterBytes - idle;
        }
    }

    /// <summary>Every ReLU layer's codes, as (layer, units, words, bits...).</summary>
    private static List<double[]> Codes(INetworkExecutor e, Batch batch)
    {
        var codes = new List<double[]>();
        e.ReluCodes(batch, (in ReluCodeBlock b) => codes.Add([b.Layer, b.Units, b.WordsPerSample, .. b.Bits.ToArray().Select(w => (double)w)]));
        return codes;
    }

    private static int ForwardPassesRun(INetworkExecutor e) => e switch
    {
        ManagedExecutor<float> f => f.ForwardPassesRun,
        ManagedExecutor<double> d => d.ForwardPassesRun,
        _ => throw new ArgumentException($"Not a managed executor: {e.GetType().Name}.", nameof(e)),
    };

    private static NetworkSpec Spec(string net)
    {
        var small = new NasBench201NetworkOptions(Channels: 16, CellsPerStage: 2, NumClasses: 10, InputSize: 16);
        return net switch
        {
            "nb201-best" => NasBench201Network.Build(BestCell, small),
            "nb201-mixed" => NasBench201Network.Build("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|none~0|avg_pool_3x3~1|nor_conv_3x3~2|", small),
            "nb201-official" => NasBench201Network.Build(BestCell, small with { Variant = NasBench201Variant.Official }),
            "nb201-skips" => NasBench201Network.Build("|skip_connect~0|+|none~0|nor_conv_1x1~1|+|nor_conv_3x3~0|skip_connect~1|avg_pool_3x3~2|", small),
            "nb101" => NasBench101Network.Build(
                ModelSpec.ParseJson("{\"matrix\":[[0,1,1,0,1],[0,0,1,1,0],[0,0,0,1,0],[0,0,0,0,1],[0,0,0,0,0]],\"ops\":[\"input\",\"conv3x3-bn-relu\",\"maxpool3x3\",\"conv1x1-bn-relu\",\"output\"]}"),
                new NasBench101NetworkOptions(StemChannels: 8, Stacks: 2, CellsPerStack: 2, NumClasses: 10, InputSize: 8)),
            _ => TestNets.ByName(net),
        };
    }

    /// <summary>Every bulk result of one network, flattened; passes on the same batch in an order that reuses held
    /// forward passes.</summary>
    private static List<double[]> Run(ManagedBackend backend, NetworkWeights weights, ExecutionOptions options, Batch batch)
    {
        var results = new List<double[]>();
        using var e = backend.Compile(weights, options);
        var logits = new double[batch.Count * weights.Spec.NumClasses];
        e.Forward(batch, logits);
        results.Add(logits);
        foreach (var objective in new[] { Objective.CrossEntropy, Objective.SumOfLogits })
        {
            var g = e.Backward(batch, objective, inputGradient: true);
            results.Add([g.Value]);
            results.AddRange(g.ParameterGradients);
            results.Add(g.InputGradient!);
            results.AddRange(e.HessianVectorProduct(batch, objective, g.ParameterGradients));
            results.AddRange(e.OutputSaliencies(batch, objective).Select(s => s.Values));
            results.AddRange(e.HessianVectorProduct(batch, objective, g.ParameterGradients));
            e.Backward(batch, objective, (p, grad) => results.Add([p, .. grad.ToArray()]));
        }

        e.PerSampleGradients(batch, (_, grads) => results.AddRange(grads.Select(a => a.ToArray())));
        var parameters = Enumerable.Range(0, weights.Spec.Parameters.Count).ToArray();
        e.PerSampleGradientSignVotes(batch, parameters, (p, votes, nan) => results.Add([p, .. votes.ToArray().Select(v => (double)v), .. nan.ToArray().Select(v => (double)v)]));
        e.ReluCodes(batch, (in ReluCodeBlock b) => results.Add([.. b.Bits.ToArray().Select(w => (double)w)]));
        e.LayerOutputs(batch, Enumerable.Range(0, weights.Spec.Layers.Count).ToArray(), (l, values) => results.Add([l, .. values.ToArray()]));
        results.AddRange(e.HessianVectorProduct(batch, Objective.CrossEntropy, weights.Spec.Parameters.Select(p => Enumerable.Repeat(0.5, p.ElementCount).ToArray()).ToArray()));
        return results;
    }
}
