#:project ../src/GradSign.Core/GradSign.Core.csproj
#:property PublishAot=false

// Describes a small CNN, writes its weights to a .safetensors file by hand (the layout PyTorch's
// safetensors.torch.save_file produces), loads them back with GradSign's importer and scores the network.
using System.Runtime.InteropServices;
using System.Text.Json;
using GradSign.Backends;
using GradSign.Backends.Managed;
using GradSign.Networks;
using GradSign.Networks.Import;
using GradSign.Proxies;

var b = new NetworkBuilder(3, 32, 32);
var x = b.Relu(b.BatchNorm(b.Conv2d(NetworkBuilder.Input, 16, kernel: 3, padding: 1, weightName: "conv1.weight"), "bn1"));
x = b.Relu(b.BatchNorm(b.Conv2d(b.MaxPool(x, kernel: 2, stride: 2), 32, kernel: 3, padding: 1, weightName: "conv2.weight"), "bn2"));
b.Linear(b.GlobalAvgPool(x), 10, "fc");
var spec = b.Build();
var weights = NetworkWeights.Initialize(spec, seed: 7);
// safetensors = u64 little-endian header length, JSON header {name: {dtype, shape, data_offsets}}, raw tensor bytes.
var header = new Dictionary<string, object>();
using var tensorBytes = new MemoryStream();
foreach (var p in spec.Parameters)
{
    header[p.Name] = new { dtype = "F32", shape = p.Shape, data_offsets = new[] { tensorBytes.Length, tensorBytes.Length + (4L * p.ElementCount) } };
    tensorBytes.Write(MemoryMarshal.AsBytes(weights[p.Index].AsSpan())); // float32, little-endian on x64 and Arm64
}
var json = JsonSerializer.SerializeToUtf8Bytes(header);
using var backend = new ManagedBackend(); // one backend (and buffer pool) for every score below
var path = Path.Combine(Path.GetTempPath(), $"own-network-{Environment.ProcessId}.safetensors");
using (var file = File.Create(path)) { file.Write(BitConverter.GetBytes((ulong)json.Length)); file.Write(json); tensorBytes.WriteTo(file); }
var loaded = SafeTensors.Read(path, spec);
Console.WriteLine($"{spec.Parameters.Count} tensors, {spec.ParameterCount:N0} parameters, {new FileInfo(path).Length:N0} bytes written; "
    + $"read back identical: {spec.Parameters.All(p => weights[p.Index].AsSpan().SequenceEqual(loaded[p.Index]))}");
File.Delete(path);
var rng = new Random(0); // a random labelled batch of 8 images: this network needs no data set
var batch = new Batch([.. Enumerable.Range(0, 8 * 3 * 32 * 32).Select(_ => (float)rng.NextDouble() - 0.5f)], [.. Enumerable.Range(0, 8).Select(i => i % 10)], 8, 3, 32, 32);
foreach (var proxy in ProxyRegistry.CreateDefault().Resolve("gradsign,synflow,snip,naswot,params"))
    Console.WriteLine($"{proxy.Id,-9} {proxy.Compute(loaded, batch, new ProxyContext(backend)).Value,12:G6}");
