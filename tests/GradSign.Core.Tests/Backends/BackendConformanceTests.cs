using GradSign.Backends.Execution;
using GradSign.Backends;
using GradSign.Internal;
using GradSign.Networks;

namespace GradSign.Tests.Backends;

/// <summary>
/// The contract every <see cref="ITensorBackend"/> must meet, checked on tiny networks with odd sizes against
/// float64 finite differences, direct formulas and the seam's own definitions (never against another backend).
/// Derive from it and implement <see cref="CreateBackend"/> to run the whole suite on a backend. Gradient and
/// Hessian checks compile in <see cref="Precision.Float64"/>.
/// </summary>
public abstract partial class BackendConformanceTests
{
    private ITensorBackend? _backend;

    public static TheoryData<string> AllNetworks => [.. ConformanceNetworks.All];

    public static TheoryData<string> SmoothNetworks => [.. ConformanceNetworks.SmoothOnes];

    public static TheoryData<string, Objective> AllNetworksAndObjectives
    {
        get
        {
            var data = new TheoryData<string, Objective>();
            foreach (var name in ConformanceNetworks.All)
            {
                data.Add(name, Objective.CrossEntropy);
                data.Add(name, Objective.SumOfLogits);
            }

            return data;
        }
    }

    protected static ExecutionOptions Float64 { get; } = ExecutionOptions.Default with { Precision = Precision.Float64 };

    protected ITensorBackend Backend => _backend ??= CreateBackend();

    /// <summary>Creates the backend under test (called once per test).</summary>
    protected abstract ITensorBackend CreateBackend();

    [Fact]
    public void Name_IsNonEmptyLowercase()
    {
        Assert.False(string.IsNullOrWhiteSpace(Backend.Name));
        Assert.Equal(Backend.Name.ToLowerInvariant(), Backend.Name);
    }

    [Fact]
    public void Compile_NullWeights_ThrowsArgumentNullException()
        => Assert.Throws<ArgumentNullException>(() => Backend.Compile(null!, Float64));

    [Fact]
    public void Compile_KeepsSpecAndOptions()
    {
        var weights = ConformanceData.RandomWeights(ConformanceNetworks.Graph(), 1);
        var options = Float64 with { BatchNormMode = BatchNormMode.RemoveRemovable };
        using var net = Backend.Compile(weights, options);
        Assert.Same(weights.Spec, net.Spec);
        Assert.Equal(options, net.Options);
    }

    [Theory]
    [MemberData(nameof(AllNetworks))]
    public void Forward_SmallNetwork_WritesFiniteLogitsOfEverySample(string network)
    {
        var spec = ConformanceNetworks.Get(network);
        using var net = Backend.Compile(ConformanceData.RandomWeights(spec, 2), Float64);
        var batch = ConformanceData.RandomBatch(spec, 3, 3, labelled: false);
        var logits = new double[(batch.Count * spec.NumClasses) + 1];
        logits[^1] = 1234.5;
        net.Forward(batch, logits);
        Assert.All(logits, z => Assert.True(double.IsFinite(z)));
        Assert.Equal(1234.5, logits[^1]);

        // Samples differ, so their logits do too (a backend that forwards only sample 0 would fail here).
        Assert.NotEqual(logits[..spec.NumClasses], logits[spec.NumClasses..(2 * spec.NumClasses)]);
    }

    [Theory]
    [MemberData(nameof(AllNetworks))]
    public void Forward_CalledTwice_GivesIdenticalLogits(string network)
    {
        var spec = ConformanceNetworks.Get(network);
        using var net = Backend.Compile(ConformanceData.RandomWeights(spec, 4), Float64);
        var batch = ConformanceData.RandomBatch(spec, 3, 5);
        Assert.Equal(Logits(net, batch), Logits(net, batch));
    }

    [Theory]
    [MemberData(nameof(AllNetworks))]
    public void Forward_Float32_AgreesWithFloat64(string network)
    {
        var spec = ConformanceNetworks.Get(network);
        var weights = ConformanceData.RandomWeights(spec, 6);
        var batch = ConformanceData.RandomBatch(spec, 3, 7);
        using var net32 = Backend.Compile(weights, ExecutionOptions.Default);
        using var net64 = Backend.Compile(weights, Float64);
        var z32 = Logits(net32, batch);
        var z64 = Logits(net64, batch);
        for (var i = 0; i < z64.Length; i++)
        {
            Assert.True(Math.Abs(z32[i] - z64[i]) <= 1e-4 * Math.Max(1, Math.Abs(z64[i])), $"logit {i}: float32 {z32[i]} vs float64 {z64[i]}");
        }
    }

    [Fact]
    public void Forward_DestinationTooShort_ThrowsArgumentException()
    {
        var spec = ConformanceNetworks.ConvBnReluMaxPool();
        using var net = Backend.Compile(ConformanceData.RandomWeights(spec, 1), Float64);
        var batch = ConformanceData.RandomBatch(spec, 3, 1);
        Assert.ThrowsAny<ArgumentException>(() => net.Forward(batch, new double[(3 * spec.NumClasses) - 1]));
    }

    [Fact]
    public void Calls_WrongInputShape_ThrowArgumentException()
    {
        var spec = ConformanceNetworks.ConvBnReluMaxPool();
        using var net = Backend.Compile(ConformanceData.RandomWeights(spec, 1), Float64);
        var (c, h, w) = (spec.InputShape[0], spec.InputShape[1], spec.InputShape[2]);
        var wrong = new Batch(new float[2 * c * (h + 1) * w], [0, 1], 2, c, h + 1, w);
        var wrongChannels = new Batch(new float[2 * (c + 1) * h * w], [0, 1], 2, c + 1, h, w);
        Assert.ThrowsAny<ArgumentException>(() => net.Forward(wrong, new double[100]));
        Assert.ThrowsAny<ArgumentException>(() => net.Forward(wrongChannels, new double[100]));
        Assert.ThrowsAny<ArgumentException>(() => net.Backward(wrong, Objective.CrossEntropy));
        Assert.ThrowsAny<ArgumentException>(() => net.Backward(wrong, Objective.SumOfLogits));
        Assert.ThrowsAny<ArgumentException>(() => net.PerSampleGradients(wrong, (_, _) => { }));
        Assert.ThrowsAny<ArgumentException>(() => net.HessianVectorProduct(wrong, Objective.SumOfLogits, new double[]?[spec.Parameters.Count]));
        Assert.ThrowsAny<ArgumentException>(() => net.ReluCodes(wrong, (in ReluCodeBlock _) => { }));
        Assert.ThrowsAny<ArgumentException>(() => net.OutputSaliencies(wrong, Objective.SumOfLogits));
    }

    [Fact]
    public void CrossEntropyCalls_MissingLabels_ThrowArgumentException()
    {
        var spec = ConformanceNetworks.ConvBnReluMaxPool();
        using var net = Backend.Compile(ConformanceData.RandomWeights(spec, 1), Float64);
        var batch = ConformanceData.RandomBatch(spec, 2, 1, labelled: false);
        Assert.ThrowsAny<ArgumentException>(() => net.Backward(batch, Objective.CrossEntropy));
        Assert.ThrowsAny<ArgumentException>(() => net.PerSampleGradients(batch, (_, _) => { }));
        Assert.ThrowsAny<ArgumentException>(() => net.HessianVectorProduct(batch, Objective.CrossEntropy, new double[]?[spec.Parameters.Count]));
        Assert.ThrowsAny<ArgumentException>(() => net.OutputSaliencies(batch, Objective.CrossEntropy));

        // Objectives without labels are fine on the same batch.
        Assert.True(double.IsFinite(net.Backward(batch, Objective.SumOfLogits).Value));
    }

    [Fact]
    public void CrossEntropyCalls_LabelNotBelowClassCount_ThrowArgumentException()
    {
        var spec = ConformanceNetworks.ConvBnReluMaxPool();
        using var net = Backend.Compile(ConformanceData.RandomWeights(spec, 1), Float64);
        var good = ConformanceData.RandomBatch(spec, 2, 1);
        var bad = new Batch(good.Images, [0, spec.NumClasses], 2, good.Channels, good.Height, good.Width);
        Assert.ThrowsAny<ArgumentException>(() => net.Backward(bad, Objective.CrossEntropy));
        Assert.ThrowsAny<ArgumentException>(() => net.PerSampleGradients(bad, (_, _) => { }));
    }

    [Fact]
    public void HessianVectorProduct_WrongVectorShape_ThrowsArgumentException()
    {
        var spec = ConformanceNetworks.Smooth();
        using var net = Backend.Compile(ConformanceData.RandomWeights(spec, 1), Float64);
        var batch = ConformanceData.RandomBatch(spec, 2, 1);
        Assert.ThrowsAny<ArgumentException>(() => net.HessianVectorProduct(batch, Objective.CrossEntropy, new double[]?[spec.Parameters.Count - 1]));
        var wrongLength = new double[]?[spec.Parameters.Count];
        wrongLength[0] = new double[spec.Parameters[0].ElementCount + 1];
        Assert.ThrowsAny<ArgumentException>(() => net.HessianVectorProduct(batch, Objective.CrossEntropy, wrongLength));
    }

    [Theory]
    [MemberData(nameof(AllNetworks))]
    public void Backward_Value_EqualsObjectiveOfForwardLogits(string network)
    {
        var spec = ConformanceNetworks.Get(network);
        using var net = Backend.Compile(ConformanceData.RandomWeights(spec, 8), Float64);
        var batch = ConformanceData.RandomBatch(spec, 3, 9);
        var logits = Logits(net, batch);
        Assert.Equal(ConformanceData.CrossEntropy(logits, batch.Labels!, spec.NumClasses), net.Backward(batch, Objective.CrossEntropy).Value, 1e-12);
        Assert.Equal(logits.Sum(), net.Backward(batch, Objective.SumOfLogits).Value, 1e-12);
    }

    [Fact]
    public void Backward_GradientArrays_AlignWithParameters()
    {
        var spec = ConformanceNetworks.Graph();
        using var net = Backend.Compile(ConformanceData.RandomWeights(spec, 1), Float64);
        var result = net.Backward(ConformanceData.RandomBatch(spec, 2, 1), Objective.CrossEntropy);
        Assert.Equal(spec.Parameters.Count, result.ParameterGradients.Length);
        Assert.All(spec.Parameters, p => Assert.Equal(p.ElementCount, result.ParameterGradients[p.Index].Length));
        Assert.Null(result.InputGradient);
    }

    [Fact]
    public void Compile_WeightsChangedAfterwards_DoesNotAffectNetwork()
    {
        var spec = ConformanceNetworks.ConvBnReluMaxPool();
        var weights = ConformanceData.RandomWeights(spec, 11);
        var batch = ConformanceData.RandomBatch(spec, 3, 12);
        using var net = Backend.Compile(weights, Float64);
        var before = Logits(net, batch);
        foreach (var p in spec.Parameters)
        {
            Array.Fill(weights[p.Index], 0.25f);
        }

        Assert.Equal(before, Logits(net, batch));
    }

    [Theory]
    [MemberData(nameof(AllNetworks))]
    public void Compile_AbsoluteTransform_EqualsNetworkOfAbsoluteWeights(string network)
    {
        var spec = ConformanceNetworks.Get(network);
        var weights = ConformanceData.RandomWeights(spec, 13);
        var absolute = new NetworkWeights(spec, [.. spec.Parameters.Select(p => weights[p.Index].Select(Math.Abs).ToArray())]);
        var batch = ConformanceData.RandomBatch(spec, 3, 14);
        using var transformed = Backend.Compile(weights, Float64 with { ParameterTransform = ParameterTransform.Absolute });
        using var plain = Backend.Compile(absolute, Float64);
        AssertClose(Logits(plain, batch), Logits(transformed, batch), 1e-12, "logits");
        var expected = plain.Backward(batch, Objective.SumOfLogits).ParameterGradients;
        var actual = transformed.Backward(batch, Objective.SumOfLogits).ParameterGradients;
        foreach (var p in spec.Parameters)
        {
            AssertClose(expected[p.Index], actual[p.Index], 1e-12, p.Name);
        }
    }

    [Theory]
    [InlineData(BatchNormMode.KeepAll, true, true)]
    [InlineData(BatchNormMode.RemoveRemovable, false, true)]
    [InlineData(BatchNormMode.RemoveAll, false, false)]
    public void Compile_BatchNormMode_EqualsNetworkWithoutTheRemovedBatchNorms(BatchNormMode mode, bool keepsRemovable, bool keepsFixed)
    {
        var full = ConformanceNetworks.RemovableBn(includeRemovable: true, includeFixed: true);
        var reduced = ConformanceNetworks.RemovableBn(keepsRemovable, keepsFixed);
        var weights = ConformanceData.RandomWeights(full, 15);
        var reducedWeights = new NetworkWeights(reduced, [.. reduced.Parameters.Select(p => weights[p.Name])]);
        var batch = ConformanceData.RandomBatch(full, 3, 16);
        using var moded = Backend.Compile(weights, Float64 with { BatchNormMode = mode });
        using var plain = Backend.Compile(reducedWeights, Float64);
        AssertClose(Logits(plain, batch), Logits(moded, batch), 1e-12, "logits");

        var expected = plain.Backward(batch, Objective.CrossEntropy).ParameterGradients;
        var actual = moded.Backward(batch, Objective.CrossEntropy).ParameterGradients;
        foreach (var p in full.Parameters)
        {
            // A removed BatchNorm's γ and β take no part in the computation: exactly zero gradient.
            var expectedGradient = reduced.FindParameter(p.Name) is { } q ? expected[q.Index] : new double[p.ElementCount];
            AssertClose(expectedGradient, actual[p.Index], 1e-12, p.Name);
        }
    }

    /// <summary>Forward logits of a compiled network.</summary>
    protected static double[] Logits(INetworkExecutor net, Batch batch)
    {
        var logits = new double[batch.Count * net.Spec.NumClasses];
        net.Forward(batch, logits);
        return logits;
    }

    /// <summary>The objective's value computed from forward logits (no backward pass involved).</summary>
    protected static double ObjectiveOf(INetworkExecutor net, Batch batch, Objective objective)
    {
        var logits = Logits(net, batch);
        return objective == Objective.SumOfLogits ? logits.Sum() : ConformanceData.CrossEntropy(logits, batch.Labels!, net.Spec.NumClasses);
    }

    /// <summary>Element-wise |a − b| ≤ tolerance·max(1, max|expected|).</summary>
    protected static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = Math.Max(1, expected.Select(Math.Abs).DefaultIfEmpty().Max());
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance * scale:g3})");
        }
    }

    private static SplitMix64 Rng(ulong seed) => new(seed);
}
