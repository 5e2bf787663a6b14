using System.Globalization;
using GradSign.Networks;

namespace GradSign.SearchSpaces.NasBench101;

/// <summary>
/// Builds the NAS-Bench-101 network of zero-cost-nas <c>foresight/models/nasbench1.py</c> (spec/NETWORKS.md §2,
/// fixtures_ext/README.md): stem ConvBnRelu(3→S, 3×3), stacks of cells separated by 2×2 max pools that double the
/// channels, then the spatial mean and a linear classifier (no BN or ReLU before the head).
/// </summary>
/// <remarks>
/// <para>Cells follow the reference: interior vertex t sums (left to right) the truncated outputs of earlier
/// interior vertices feeding it, in increasing order, then a 1×1 ConvBnRelu projection of the cell input when the
/// input feeds it; the output vertex concatenates the output-feeding vertices in increasing order and adds a 1×1
/// projection of the input when the input feeds the output. That add is out of place (the reference's in-place
/// <c>+=</c> breaks autograd when one conv vertex feeds the output; the intended value is computed).</para>
/// <para>Parameter names are the reference's state-dict names: <c>layers.0.conv_bn_relu.{0.weight,1.weight,1.bias}</c>
/// (stem), per cell at layer index L first the conv vertex ops
/// <c>layers.L.vertex_op.t.conv3x3.conv_bn_relu.…</c> (or <c>conv1x1</c>) for t = 1..V−2, then the projections
/// <c>layers.L.input_op.t.conv_bn_relu.…</c> for t = 1..V−1, then <c>classifier.{weight,bias}</c>. Layer indices
/// count the max-pool layers.</para>
/// <para>Initialisation is the reference's <c>_initialize_weights</c>: conv W ~ N(0, √(2/(k·k·C_out))) (He,
/// fan-out), BN γ = 1, β = 0, linear W ~ N(0, 0.01), linear b = 0. ReLUs are not
/// <see cref="ReluLayer.WrapperNamedRelu"/>; every BatchNorm is removable.</para>
/// </remarks>
public static class NasBench101Network
{
    /// <summary>Builds the network for a (pruned) spec.</summary>
    /// <param name="spec">The cell, repeated everywhere.</param>
    /// <param name="options">Size; default <see cref="NasBench101NetworkOptions.Default"/>.</param>
    /// <returns>The network spec.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (named).</exception>
    public static NetworkSpec Build(ModelSpec spec, NasBench101NetworkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= NasBench101NetworkOptions.Default;
        options.Validate();
        var b = new NetworkBuilder(3, options.InputSize, options.InputSize);
        var x = ConvBnRelu(b, NetworkBuilder.Input, options.StemChannels, 3, "layers.0");
        var layer = 1;
        var cIn = options.StemChannels;
        var cOut = options.StemChannels;
        for (var stack = 0; stack < options.Stacks; stack++)
        {
            if (stack > 0)
            {
                x = b.MaxPool(x, kernel: 2, stride: 2, name: Invariant($"layers.{layer}"));
                layer++;
                cOut *= 2;
            }

            for (var m = 0; m < options.CellsPerStack; m++)
            {
                x = Cell(b, x, spec, cIn, cOut, Invariant($"layers.{layer}"));
                layer++;
                cIn = cOut;
            }
        }

        x = b.GlobalAvgPool(x, "mean");
        b.Linear(x, options.NumClasses, "classifier", weightInit: ParameterInit.Normal(0.01), biasInit: ParameterInit.Constant(0));
        return b.Build();
    }

    /// <summary>
    /// Channels of every vertex of a cell (reference <c>ComputeVertexChannels</c>): the output's channels are split
    /// evenly over the interior vertices that feed it (the lowest-indexed get the remainder), and a vertex that does
    /// not feed the output takes the largest width among its interior successors.
    /// </summary>
    /// <param name="inChannels">Cell input channels.</param>
    /// <param name="outChannels">Cell output channels.</param>
    /// <param name="spec">The pruned spec.</param>
    /// <returns>One width per vertex; [0] = <paramref name="inChannels"/>, [V−1] = <paramref name="outChannels"/>.</returns>
    /// <exception cref="ArgumentException">A vertex would get no channels (output narrower than its in-degree).</exception>
    public static int[] ComputeVertexChannels(int inChannels, int outChannels, ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return ComputeVertexChannels(inChannels, outChannels, spec.Matrix);
    }

    /// <summary>
    /// <see cref="ComputeVertexChannels(int, int, ModelSpec)"/> on a raw (already pruned) adjacency matrix, without
    /// the NAS-Bench-101 size limits.
    /// </summary>
    /// <param name="inChannels">Cell input channels.</param>
    /// <param name="outChannels">Cell output channels.</param>
    /// <param name="matrix">Square, strictly upper-triangular 0/1 adjacency matrix, at least 2×2, every interior vertex on an input→output path.</param>
    /// <returns>One width per vertex.</returns>
    /// <exception cref="ArgumentException">The matrix is not square, or a vertex would get no channels.</exception>
    public static int[] ComputeVertexChannels(int inChannels, int outChannels, IReadOnlyList<IReadOnlyList<int>> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        var v = matrix.Count;
        if (v < 2 || matrix.Any(r => r is null || r.Count != v))
        {
            throw new ArgumentException("matrix must be square with at least 2 vertices.", nameof(matrix));
        }

        bool HasEdge(int from, int to) => matrix[from][to] != 0;
        var vc = new int[v];
        vc[0] = inChannels;
        vc[v - 1] = outChannels;
        if (v == 2)
        {
            return vc;
        }

        // In-degree of the output counting interior vertices only (the input's edge is a projection, not a share).
        var d = 0;
        for (var s = 1; s < v - 1; s++)
        {
            d += HasEdge(s, v - 1) ? 1 : 0;
        }

        if (d == 0)
        {
            throw new ArgumentException("No interior vertex feeds the output; prune the matrix first.", nameof(matrix));
        }

        var baseWidth = outChannels / d;
        var remainder = outChannels % d;
        for (var t = 1; t < v - 1; t++)
        {
            if (HasEdge(t, v - 1))
            {
                vc[t] = baseWidth;
                if (remainder > 0)
                {
                    vc[t]++;
                    remainder--;
                }
            }
        }

        for (var t = v - 3; t >= 1; t--)
        {
            if (!HasEdge(t, v - 1))
            {
                for (var w = t + 1; w < v - 1; w++)
                {
                    if (HasEdge(t, w))
                    {
                        vc[t] = Math.Max(vc[t], vc[w]);
                    }
                }
            }
        }

        for (var t = 1; t < v - 1; t++)
        {
            if (vc[t] <= 0)
            {
                throw new ArgumentException($"Vertex {t} gets {vc[t]} channels with {outChannels} output channels over {d} output-feeding vertices.", nameof(outChannels));
            }
        }

        return vc;
    }

    private static int Cell(NetworkBuilder b, int x, ModelSpec spec, int cIn, int cOut, string prefix)
    {
        var v = spec.VertexCount;
        var vc = ComputeVertexChannels(cIn, cOut, spec);

        // State-dict order: all vertex ops (t = 1..V-2), then all input projections (t = 1..V-1); the forward pass
        // interleaves them, so the parameters are declared first.
        var vertexParams = new (int W, int G, int B)?[v];
        for (var t = 1; t < v - 1; t++)
        {
            if (spec.Operations[t] is NasBench101Operation.Conv3x3BnRelu or NasBench101Operation.Conv1x1BnRelu)
            {
                var k = spec.Operations[t] == NasBench101Operation.Conv3x3BnRelu ? 3 : 1;
                vertexParams[t] = DeclareConvBnRelu(b, vc[t], vc[t], k, Invariant($"{prefix}.vertex_op.{t}.conv{k}x{k}"));
            }
        }

        var projParams = new (int W, int G, int B)?[v];
        for (var t = 1; t < v; t++)
        {
            if (spec.HasEdge(0, t))
            {
                projParams[t] = DeclareConvBnRelu(b, cIn, vc[t], 1, Invariant($"{prefix}.input_op.{t}"));
            }
        }

        var tensors = new int[v];
        tensors[0] = x;
        var outputs = new List<int>();
        for (var t = 1; t < v - 1; t++)
        {
            var fanIn = new List<int>();
            for (var s = 1; s < t; s++)
            {
                if (spec.HasEdge(s, t))
                {
                    fanIn.Add(b.Truncate(tensors[s], vc[t]));
                }
            }

            if (projParams[t] is { } p)
            {
                fanIn.Add(ApplyConvBnRelu(b, x, p, 1, Invariant($"{prefix}.input_op.{t}")));
            }

            var sum = b.AddNamed(Invariant($"{prefix}.vertex{t}.sum"), [.. fanIn]);
            tensors[t] = vertexParams[t] is { } q
                ? ApplyConvBnRelu(b, sum, q, spec.Operations[t] == NasBench101Operation.Conv3x3BnRelu ? 3 : 1, Invariant($"{prefix}.vertex_op.{t}.conv{(spec.Operations[t] == NasBench101Operation.Conv3x3BnRelu ? 3 : 1)}x{(spec.Operations[t] == NasBench101Operation.Conv3x3BnRelu ? 3 : 1)}"))
                : b.MaxPool(sum, kernel: 3, stride: 1, padding: 1, name: Invariant($"{prefix}.vertex_op.{t}.maxpool"));
            if (spec.HasEdge(t, v - 1))
            {
                outputs.Add(tensors[t]);
            }
        }

        var proj = projParams[v - 1] is { } po ? ApplyConvBnRelu(b, x, po, 1, Invariant($"{prefix}.input_op.{v - 1}")) : -1;
        if (outputs.Count == 0)
        {
            return proj;
        }

        var outp = b.Concat([.. outputs]);
        return proj >= 0 ? b.AddNamed(Invariant($"{prefix}.output.add"), outp, proj) : outp;
    }

    private static int ConvBnRelu(NetworkBuilder b, int x, int outChannels, int kernel, string prefix)
    {
        var inChannels = b.ShapeOf(x)[0];
        var p = DeclareConvBnRelu(b, inChannels, outChannels, kernel, prefix);
        return ApplyConvBnRelu(b, x, p, kernel, prefix);
    }

    private static (int W, int G, int B) DeclareConvBnRelu(NetworkBuilder b, int inChannels, int outChannels, int kernel, string prefix)
    {
        // He normal, fan-out: N(0, sqrt(2 / (kh * kw * C_out))).
        var std = Math.Sqrt(2.0 / (kernel * kernel * outChannels));
        var w = b.AddParameter($"{prefix}.conv_bn_relu.0.weight", ParameterKind.ConvWeight, [outChannels, inChannels, kernel, kernel], ParameterInit.Normal(std));
        var g = b.AddParameter($"{prefix}.conv_bn_relu.1.weight", ParameterKind.BatchNormWeight, [outChannels], ParameterInit.Constant(1));
        var beta = b.AddParameter($"{prefix}.conv_bn_relu.1.bias", ParameterKind.BatchNormBias, [outChannels], ParameterInit.Constant(0));
        return (w, g, beta);
    }

    private static int ApplyConvBnRelu(NetworkBuilder b, int x, (int W, int G, int B) p, int kernel, string prefix)
    {
        x = b.Conv2dWithParameters(x, p.W, bias: null, stride: 1, padding: kernel / 2, layerName: $"{prefix}.conv_bn_relu.0");
        x = b.BatchNormWithParameters(x, $"{prefix}.conv_bn_relu.1", p.G, p.B);
        return b.Relu(x, $"{prefix}.conv_bn_relu.2");
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
