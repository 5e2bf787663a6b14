using System.Text.Json;
using System.Text.Json.Nodes;
using GradSign.Cli.Fixtures;
using GradSign.Tests.Infrastructure;

namespace GradSign.Tests.Networks.Import;

public class OracleFixtureTests
{
    public static TheoryData<string> AllCases()
    {
        var data = new TheoryData<string>();
        foreach (var root in new[] { SharedPaths.Fixtures, SharedPaths.FixturesExt })
        {
            foreach (var name in OracleFixture.CaseNames(root))
            {
                data.Add(Path.GetRelativePath(SharedPaths.Shared, Path.Combine(root, name)));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Load_EveryCase_ParametersMatchManifestByNameShapeAndCount(string relative)
    {
        var dir = Path.Combine(SharedPaths.Shared, relative);
        var fixture = OracleFixture.Load(dir);

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
        var m = doc.RootElement;
        var tensors = m.GetProperty("params").GetProperty("tensors").EnumerateArray().ToArray();
        Assert.Equal(tensors.Length, fixture.Spec.Parameters.Count);
        for (var i = 0; i < tensors.Length; i++)
        {
            Assert.Equal(tensors[i].GetProperty("name").GetString(), fixture.Spec.Parameters[i].Name);
            Assert.Equal(tensors[i].GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), fixture.Spec.Parameters[i].Shape);
            Assert.Equal(tensors[i].GetProperty("scored").GetBoolean(), fixture.Spec.Parameters[i].IsScored);
        }

        Assert.Equal(m.GetProperty("params").GetProperty("total_elements").GetInt64(), fixture.Spec.ParameterCount);
        Assert.Equal(m.GetProperty("scored_tensors").EnumerateArray().Select(e => e.GetString()),
            fixture.Spec.Parameters.Where(p => p.IsScored).Select(p => p.Name));
        Assert.Equal(m.GetProperty("num_classes").GetInt32(), fixture.Spec.NumClasses);

        // Spot-check the last tensor against the raw file: offsets were honoured.
        var last = tensors[^1];
        var paramsFile = Path.GetFullPath(Path.Combine(dir, m.GetProperty("params").GetProperty("file").GetString()!));
        var raw = File.ReadAllBytes(paramsFile);
        var offset = last.GetProperty("offset").GetInt32();
        Assert.Equal(BitConverter.ToSingle(raw, 4 * offset), fixture.Weights[tensors.Length - 1][0]);

        var shape = m.GetProperty("input").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(shape[0], fixture.Batch.Count);
        Assert.Equal(new[] { fixture.Batch.Channels, fixture.Batch.Height, fixture.Batch.Width }, shape[1..]);
        Assert.Equal(shape[0] * fixture.Spec.NumClasses, fixture.ForwardLogits.Length);
        Assert.Equal(m.TryGetProperty("grads", out _), fixture.Gradients is not null);
        Assert.Contains("snip", fixture.ProxyNames);
    }

    [Fact]
    public void Load_Nb201Case_ExposesCellOptionsAndProxies()
    {
        var f = OracleFixture.Load(Path.Combine(SharedPaths.Fixtures, "c8n1_09_allnone"));
        Assert.Equal("nb201", f.Space);
        Assert.Equal("c8n1_09_allnone", f.Case);
        Assert.Equal(8, f.NasBench201Options!.Channels);
        Assert.Equal(1, f.NasBench201Options.CellsPerStage);
        Assert.Equal(double.NegativeInfinity, f.ExpectedProxy("naswot"));
        Assert.Equal(0, f.ExpectedProxy("gradsign"));
        Assert.NotNull(f.Gradients);
        Assert.Throws<KeyNotFoundException>(() => f.ExpectedProxy("no_such_proxy"));
    }

    [Fact]
    public void Load_ExtCase_ResolvesFilesRelativeToManifestAndReadsNaN()
    {
        var f = OracleFixture.Load(Path.Combine(SharedPaths.FixturesExt, "c8n1_08_deadout"));
        Assert.True(double.IsNaN(f.ExpectedProxy("jacob_cov")));
        var baseCase = OracleFixture.Load(Path.Combine(SharedPaths.Fixtures, "c8n1_08_deadout"));
        Assert.Equal(baseCase.Weights[0], f.Weights[0]);
        Assert.Equal(baseCase.Batch.Images, f.Batch.Images);
    }

    [Fact]
    public void Load_Nb101Case_BuildsPrunedSpec()
    {
        var f = OracleFixture.Load(Path.Combine(SharedPaths.FixturesExt, "nb101_d1_pruned"));
        Assert.Equal("nb101", f.Space);
        Assert.Equal(4, f.ModelSpec!.VertexCount);
        Assert.Equal(16, f.NasBench101Options!.StemChannels);
    }

    [Fact]
    public void Load_RenamedTensor_ThrowsNamingIt()
    {
        var dir = MutatedCopy(m => m["params"]!["tensors"]![3]!["name"] = "bogus.weight");
        var ex = Assert.Throws<InvalidDataException>(() => OracleFixture.Load(dir));
        Assert.Contains("bogus.weight", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongShape_ThrowsNamingTensor()
    {
        var dir = MutatedCopy(m => m["params"]!["tensors"]![0]!["shape"] = new JsonArray(8, 3, 1, 1));
        var ex = Assert.Throws<InvalidDataException>(() => OracleFixture.Load(dir));
        Assert.Contains("stem.net.0.weight", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingTensor_ThrowsNamingFirstMissing()
    {
        var dir = MutatedCopy(m => ((JsonArray)m["params"]!["tensors"]!).RemoveAt(((JsonArray)m["params"]!["tensors"]!).Count - 1));
        var ex = Assert.Throws<InvalidDataException>(() => OracleFixture.Load(dir));
        Assert.Contains("top.classifier.bias", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExtraTensor_ThrowsNamingIt()
    {
        var dir = MutatedCopy(m => ((JsonArray)m["params"]!["tensors"]!).Add(new JsonObject { ["name"] = "extra.weight", ["shape"] = new JsonArray(1), ["offset"] = 0, ["numel"] = 1 }));
        var ex = Assert.Throws<InvalidDataException>(() => OracleFixture.Load(dir));
        Assert.Contains("extra.weight", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SwappedOrder_Throws()
    {
        var dir = MutatedCopy(m =>
        {
            var t = (JsonArray)m["params"]!["tensors"]!;
            var a = t[1]!.DeepClone();
            t[1] = t[2]!.DeepClone();
            t[2] = a;
        });
        var ex = Assert.Throws<InvalidDataException>(() => OracleFixture.Load(dir));
        Assert.Contains("stem.net.1.bias", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingBinaryFile_ThrowsFileNotFound()
    {
        var dir = MutatedCopy(m => m["params"]!["file"] = "no_such.f32");
        Assert.Throws<FileNotFoundException>(() => OracleFixture.Load(dir));
    }

    [Fact]
    public void Load_MissingFolder_ThrowsDirectoryNotFound()
        => Assert.Throws<DirectoryNotFoundException>(() => OracleFixture.Load("/no/such/fixture"));

    // Copies c8n1_03_allskip's manifest into a temp folder (binary paths made absolute) and applies a change.
    private static string MutatedCopy(Action<JsonNode> change)
    {
        var src = Path.Combine(SharedPaths.Fixtures, "c8n1_03_allskip");
        var m = JsonNode.Parse(File.ReadAllText(Path.Combine(src, "manifest.json")))!;
        foreach (var key in new[] { "input", "labels", "params", "grads" })
        {
            m[key]!["file"] = Path.Combine(src, m[key]!["file"]!.GetValue<string>());
        }

        change(m);
        var dir = Path.Combine(Path.GetTempPath(), "gradsign-fixture-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "manifest.json"), m.ToJsonString());
        return dir;
    }
}
