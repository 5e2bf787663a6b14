using System.Globalization;
using GradSign.Networks;

namespace GradSign.SearchSpaces.NasBench201;

/// <summary>
/// Builds the NAS-Bench-201 macro network (spec/NETWORKS.md §1.2–1.6) around a <see cref="NasBench201Cell"/>:
/// stem conv+BN, three stages of N cells (C, 2C, 4C channels) separated by two ResNet reduction blocks, then
/// BN → ReLU → global average pool → linear.
/// </summary>
/// <remarks>
/// <para>Every cell node is the left-to-right sum of its incoming edges in increasing source order; a <c>none</c>
/// edge is a <see cref="ZeroLayer"/> that stays in the graph, so a node whose inputs are all <c>none</c> is an
/// exact zero tensor with exact-zero gradients. Only executed ops create parameters; in the zero-cost-nas variant the
/// reference's unselected candidate convs are counted in <see cref="NetworkSpec.UnexecutedScoredElements"/>.</para>
/// <para>Parameter names and order are the reference's state-dict order:</para>
/// <list type="bullet">
/// <item><see cref="NasBench201Variant.ZeroCostNas"/>: <c>stem.net.0.weight</c>, <c>stem.net.1.{weight,bias}</c>;
/// per cell <c>stack_cell{s}.{i}.options.{5e+k}.op.1.{weight,bias}</c> (k = 2 for nor_conv_3x3, 3 for nor_conv_1x1,
/// the index in zero-cost-nas' op dict); per reduction r = 1, 2: <c>reduction{r}.residual.1.weight</c>,
/// <c>reduction{r}.conv_a.op.1.weight</c>, <c>reduction{r}.conv_a.op.2.{weight,bias}</c>, the same for
/// <c>conv_b</c>; <c>top.lastact.0.{weight,bias}</c>, <c>top.classifier.{weight,bias}</c>.</item>
/// <item><see cref="NasBench201Variant.Official"/> (AutoDL <c>TinyNetwork</c>): <c>stem.0.weight</c>,
/// <c>stem.1.{weight,bias}</c>; blocks <c>cells.{k}</c>, k = 0 .. 3N+1 counting reductions; per cell
/// <c>cells.{k}.layers.{e}.op.1.weight</c> and <c>cells.{k}.layers.{e}.op.2.{weight,bias}</c> (e = edge position
/// in string order); per reduction <c>cells.{k}.conv_a.op.1.weight</c>, <c>cells.{k}.conv_a.op.2.{weight,bias}</c>,
/// the same for <c>conv_b</c>, then <c>cells.{k}.downsample.1.weight</c>; <c>lastact.0.{weight,bias}</c>,
/// <c>classifier.{weight,bias}</c>.</item>
/// </list>
/// <para>Initialisation is PyTorch's default (conv and linear U(±1/√fan_in), BN γ = 1, β = 0). The ReLUs inside
/// ReLU→conv→BN ops (cell convs and the reductions' conv_a/conv_b) are marked
/// <see cref="ReluLayer.WrapperNamedRelu"/>; the final ReLU is not. In the zero-cost-nas variant the four reduction
/// BatchNorms are not <see cref="BatchNormLayer.Removable"/> (its BN-free copy keeps them); in the official variant
/// every BatchNorm is removable.</para>
/// </remarks>
public static class NasBench201Network
{
    // zero-cost-nas OPS dict order: none, avg_pool_3x3, nor_conv_3x3, nor_conv_1x1, skip_connect.
    private static int ZeroCostNasOptionIndex(NasBench201Operation op) => op switch
    {
        NasBench201Operation.None => 0,
        NasBench201Operation.AvgPool3x3 => 1,
        NasBench201Operation.NorConv3x3 => 2,
        NasBench201Operation.NorConv1x1 => 3,
        _ => 4,
    };

    /// <summary>Builds the network for <paramref name="cell"/>.</summary>
    /// <param name="cell">The cell repeated in every stage.</param>
    /// <param name="options">Size and variant; default <see cref="NasBench201NetworkOptions.Default"/>.</param>
    /// <returns>The network spec (input [3, InputSize, InputSize]).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (named).</exception>
    public static NetworkSpec Build(NasBench201Cell cell, NasBench201NetworkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cell);
        options ??= NasBench201NetworkOptions.Default;
        options.Validate();
        var zc = options.Variant == NasBench201Variant.ZeroCostNas;
        var b = new NetworkBuilder(3, options.InputSize, options.InputSize);

        var stem = zc ? "stem.net" : "stem";
        var x = b.Conv2d(NetworkBuilder.Input, options.Channels, kernel: 3, padding: 1, weightName: $"{stem}.0.weight");
        x = b.BatchNorm(x, $"{stem}.1");

        var block = 0;
        for (var stage = 1; stage <= 3; stage++)
        {
            var c = options.Channels << (stage - 1);
            if (stage > 1)
            {
                x = zc
                    ? Reduction(b, x, c, $"reduction{stage - 1}", residualFirst: true, residualName: "residual", removableBn: false)
                    : Reduction(b, x, c, Invariant($"cells.{block}"), residualFirst: false, residualName: "downsample", removableBn: true);
                block++;
            }

            for (var i = 0; i < options.CellsPerStage; i++)
            {
                x = Cell(b, x, cell, c, zc, zc ? Invariant($"stack_cell{stage}.{i}") : Invariant($"cells.{block}"));
                block++;
            }
        }

        var top = zc ? "top." : string.Empty;
        x = b.BatchNorm(x, $"{top}lastact.0");
        x = b.Relu(x, $"{top}lastact.1");
        x = b.GlobalAvgPool(x, zc ? "top.global_pooling" : "global_pooling");
        b.Linear(x, options.NumClasses, $"{top}classifier");
        var spec = b.Build();
        return zc ? spec.WithUnexecutedScoredElements(UnselectedConvWeights(cell, options)) : spec;
    }

    /// <summary>
    /// The conv weight elements of the candidate ops zero-cost-nas's <c>NAS201Model</c> builds but does not select:
    /// its <c>SearchCell.options</c> hold a nor_conv_3x3 and a nor_conv_1x1 on each of the six edges of every cell.
    /// </summary>
    private static long UnselectedConvWeights(NasBench201Cell cell, NasBench201NetworkOptions options)
    {
        long perChannelSquared = 0;
        for (var e = 0; e < NasBench201Cell.EdgeCount; e++)
        {
            perChannelSquared += (cell[e] == NasBench201Operation.NorConv3x3 ? 0 : 9) + (cell[e] == NasBench201Operation.NorConv1x1 ? 0 : 1);
        }

        long total = 0;
        for (var stage = 0; stage < 3; stage++)
        {
            long c = options.Channels << stage;
            total += options.CellsPerStage * perChannelSquared * c * c;
        }

        return total;
    }

    /// <summary>Builds the network for an architecture string.</summary>
    /// <param name="arch">An architecture string (see <see cref="NasBench201Cell.Parse"/>).</param>
    /// <param name="options">Size and variant.</param>
    /// <returns>The network spec.</returns>
    /// <exception cref="FormatException">The string is malformed.</exception>
    public static NetworkSpec Build(string arch, NasBench201NetworkOptions? options = null)
        => Build(NasBench201Cell.Parse(arch), options);

    private static int Cell(NetworkBuilder b, int input, NasBench201Cell cell, int c, bool zc, string prefix)
    {
        var nodes = new int[4];
        nodes[0] = input;
        for (var to = 1; to <= 3; to++)
        {
            var terms = new int[to];
            for (var from = 0; from < to; from++)
            {
                var e = NasBench201Edge.PositionOf(from, to);
                var op = cell[e];
                var name = zc ? Invariant($"{prefix}.options.{(5 * e) + ZeroCostNasOptionIndex(op)}") : Invariant($"{prefix}.layers.{e}");
                terms[from] = Edge(b, nodes[from], op, c, zc, name);
            }

            // Python sum(): ((0 + t0) + t1) + t2, i.e. left to right in increasing source order.
            nodes[to] = b.AddNamed(Invariant($"{prefix}.node{to}"), terms);
        }

        return nodes[3];
    }

    private static int Edge(NetworkBuilder b, int x, NasBench201Operation op, int c, bool zc, string name) => op switch
    {
        NasBench201Operation.None => b.Zero(x, name),
        NasBench201Operation.SkipConnect => x,
        NasBench201Operation.AvgPool3x3 => b.AvgPool(x, kernel: 3, stride: 1, padding: 1, countIncludePad: false, name: $"{name}.op"),

        // zero-cost-nas: conv bias = not affine = true, BN affine=false; official: no bias, affine BN.
        _ => ReluConvBn(b, x, c, op == NasBench201Operation.NorConv3x3 ? 3 : 1, stride: 1, $"{name}.op", convBias: zc, bnAffine: !zc, bnRemovable: true),
    };

    private static int ReluConvBn(NetworkBuilder b, int x, int outChannels, int kernel, int stride, string name, bool convBias, bool bnAffine, bool bnRemovable)
    {
        x = b.Relu(x, $"{name}.0", wrapperNamedRelu: true);
        x = b.Conv2d(x, outChannels, kernel, stride, padding: kernel / 2, bias: convBias, weightName: $"{name}.1.weight");
        return b.BatchNorm(x, $"{name}.2", affine: bnAffine, removable: bnRemovable);
    }

    private static int Reduction(NetworkBuilder b, int x, int outChannels, string prefix, bool residualFirst, string residualName, bool removableBn)
    {
        // Both references compute residual + basicblock; only the registration (parameter) order differs.
        var residual = -1;
        if (residualFirst)
        {
            residual = Residual(b, x, outChannels, $"{prefix}.{residualName}");
        }

        var a = ReluConvBn(b, x, outChannels, 3, stride: 2, $"{prefix}.conv_a.op", convBias: false, bnAffine: true, bnRemovable: removableBn);
        var basic = ReluConvBn(b, a, outChannels, 3, stride: 1, $"{prefix}.conv_b.op", convBias: false, bnAffine: true, bnRemovable: removableBn);
        if (!residualFirst)
        {
            residual = Residual(b, x, outChannels, $"{prefix}.{residualName}");
        }

        return b.AddNamed($"{prefix}.add", residual, basic);
    }

    private static int Residual(NetworkBuilder b, int x, int outChannels, string name)
    {
        var p = b.AvgPool(x, kernel: 2, stride: 2, padding: 0, countIncludePad: true, name: $"{name}.0");
        return b.Conv2d(p, outChannels, kernel: 1, weightName: $"{name}.1.weight");
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
