using System.Text.Json;
using GradSign.Data;
using GradSign.Networks;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Backends.Managed;

/// <summary>
/// Minimal loader for the NAS-Bench-201 oracle fixtures (../shared/oracle/fixtures), building the zero-cost-nas
/// network of fixtures/README.md with <see cref="NetworkBuilder"/> and taking every parameter from params.f32 by name.
/// (The library's own loader lives with the search spaces; this one keeps the engine's tests self-contained.)
/// </summary>
internal sealed class Nb201Fixture
{
    private Nb201Fixture(string dir)
    {
        Directory = dir;
        Manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json"))).RootElement;
        var m = Manifest;
        Spec = Build(m.GetProperty("C").GetInt32(), m.GetProperty("N").GetInt32(), m.GetProperty("num_classes").GetInt32(),
            m.GetProperty("input").GetProperty("shape")[2].GetInt32(), [.. m.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("op").GetString()!)]);
        var flat = ReadF32("params.f32");
        var tensors = m.GetProperty("params").GetProperty("tensors").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => (Offset: t.GetProperty("offset").GetInt32(), Count: t.GetProperty("numel").GetInt32()));
        Assert.Equal(tensors.Count, Spec.Parameters.Count);
        Weights = new NetworkWeights(Spec, [.. Spec.Parameters.Select(p => flat.AsSpan(tensors[p.Name].Offset, tensors[p.Name].Count).ToArray())]);
        Offsets = [.. Spec.Parameters.Select(p => tensors[p.Name].Offset)];
        var shape = m.GetProperty("input").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Batch = new Batch(ReadF32("input.f32"), ReadI32("labels.i32"), shape[0], shape[1], shape[2], shape[3]);
    }

    public string Directory { get; }

    public JsonElement Manifest { get; }

    public NetworkSpec Spec { get; }

    public NetworkWeights Weights { get; }

    public Batch Batch { get; }

    /// <summary>Offset of each spec parameter in params.f32 / grads.f32.</summary>
    public int[] Offsets { get; }

    public static string Root => SharedPaths.Fixtures;

    public static bool Available => System.IO.Directory.Exists(Root);

    public static Nb201Fixture Load(string name) => new(Path.Combine(Root, name));

    public JsonElement Proxy(string name) => Manifest.GetProperty("proxies").GetProperty(name);

    /// <summary>The fixtures_ext manifest of the same case (grad_norm, fisher, jacob_cov).</summary>
    public JsonElement Extended()
        => JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedPaths.FixturesExt, System.IO.Path.GetFileName(Directory), "manifest.json"))).RootElement;

    public float[] ReadF32(string file)
    {
        var b = File.ReadAllBytes(Path.Combine(Directory, file));
        var a = new float[b.Length / 4];
        Buffer.BlockCopy(b, 0, a, 0, b.Length);
        return a;
    }

    private int[] ReadI32(string file)
    {
        var b = File.ReadAllBytes(Path.Combine(Directory, file));
        var a = new int[b.Length / 4];
        Buffer.BlockCopy(b, 0, a, 0, b.Length);
        return a;
    }

    private static NetworkSpec Build(int c, int n, int classes, int size, string[] ops)
    {
        var b = new NetworkBuilder(3, size, size);
        var x = b.BatchNorm(b.Conv2d(NetworkBuilder.Input, c, 3, padding: 1, weightName: "stem.net.0.weight"), "stem.net.1");
        for (var stage = 1; stage <= 3; stage++)
        {
            if (stage > 1)
            {
                var name = $"reduction{stage - 1}";
                var r = b.Conv2d(b.AvgPool(x, 2, 2), 2 * c, 1, weightName: $"{name}.residual.1.weight");
                var a = b.BatchNorm(b.Conv2d(b.Relu(x), 2 * c, 3, stride: 2, padding: 1, weightName: $"{name}.conv_a.op.1.weight"), $"{name}.conv_a.op.2", removable: false);
                var o = b.BatchNorm(b.Conv2d(b.Relu(a), 2 * c, 3, padding: 1, weightName: $"{name}.conv_b.op.1.weight"), $"{name}.conv_b.op.2", removable: false);
                x = b.Add(r, o);
                c *= 2;
            }

            for (var i = 0; i < n; i++)
            {
                x = Cell(b, x, c, $"stack_cell{stage}.{i}", ops);
            }
        }

        x = b.Relu(b.BatchNorm(x, "top.lastact.0"));
        b.Linear(b.GlobalAvgPool(x), classes, "top.classifier");
        return b.Build();
    }

    private static int Cell(NetworkBuilder b, int input, int c, string name, string[] ops)
    {
        (int To, int From)[] edges = [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)];
        var nodes = new List<int> { input };
        for (var to = 1; to <= 3; to++)
        {
            var terms = new List<int>();
            for (var e = 0; e < edges.Length; e++)
            {
                if (edges[e].To != to)
                {
                    continue;
                }

                var from = nodes[edges[e].From];
                terms.Add(ops[e] switch
                {
                    "none" => b.Zero(from),
                    "skip_connect" => from,
                    "avg_pool_3x3" => b.AvgPool(from, 3, 1, 1, countIncludePad: false),
                    "nor_conv_3x3" => b.BatchNorm(b.Conv2d(b.Relu(from), c, 3, padding: 1, bias: true, weightName: $"{name}.options.{(5 * e) + 2}.op.1.weight"), $"{name}.options.{(5 * e) + 2}.op.2", affine: false),
                    "nor_conv_1x1" => b.BatchNorm(b.Conv2d(b.Relu(from), c, 1, bias: true, weightName: $"{name}.options.{(5 * e) + 3}.op.1.weight"), $"{name}.options.{(5 * e) + 3}.op.2", affine: false),
                    _ => throw new NotSupportedException(ops[e]),
                });
            }

            nodes.Add(b.Add([.. terms]));
        }

        return nodes[3];
    }
}

/// <summary>A theory skipped when ../shared/oracle/fixtures is absent.</summary>
internal sealed class FixtureTheoryAttribute : TheoryAttribute
{
    public FixtureTheoryAttribute()
    {
        if (!Nb201Fixture.Available)
        {
            Skip = "Oracle fixtures not found at ../shared/oracle/fixtures.";
        }
    }
}
