using System.Buffers.Binary;
using System.Text;
using GradSign.Networks;
using GradSign.Networks.Import;

namespace GradSign.Tests.Networks.Import;

public class SafeTensorsTests
{
    private static NetworkSpec Tiny()
    {
        var b = new NetworkBuilder(3, 4, 4);
        var x = b.Conv2d(NetworkBuilder.Input, 2, kernel: 3, padding: 1, bias: true, weightName: "conv.weight");
        x = b.Relu(b.BatchNorm(x, "bn"));
        b.Linear(b.GlobalAvgPool(x), 3, "fc");
        return b.Build();
    }

    // Builds a file from a header string and a data block.
    private static byte[] File(string header, byte[] data)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
        h.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + h.Length);
        return bytes;
    }

    // Header bytes given raw (not necessarily UTF-8).
    private static byte[] RawFile(byte[] header, byte[] data)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    [Theory]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\"0\",4]}}")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,null]}}")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0.5,4]}}")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[[0],4]}}")]
    [InlineData("{\"\\udc00\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"\\ud800data_offsets\":[0,4]}}")]
    [InlineData("{\"__metadata__\":{\"k\":\"\\ud800\"},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}")]
    public void ReadAll_NonNumberOffsetsOrBadStrings_ThrowInvalidData(string header)
    {
        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.ReadAll(File(header, new byte[4])));
        Assert.DoesNotContain("\n", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public void ReadAll_InvalidUtf8Name_ThrowsInvalidData(byte[] name)
    {
        byte[] header = [.. "{\""u8, .. name, .. "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"u8];
        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.ReadAll(RawFile(header, new byte[4])));
        Assert.Contains("UTF-8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAll_LongName_IsClippedInTheMessage()
    {
        var name = new string('n', 10_000);
        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.ReadAll(File($"{{\"{name}\":{{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]}}}}", new byte[1])));
        Assert.True(ex.Message.Length < 400, ex.Message);
    }

    [Fact]
    public void SerializeRead_RoundTrip_ExactValuesAndMetadata()
    {
        var spec = Tiny();
        var weights = NetworkWeights.Initialize(spec, 3);
        var path = Path.Combine(Path.GetTempPath(), $"gradsign-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensors.Write(path, weights, new Dictionary<string, string> { ["format"] = "pt", ["arch"] = "tiny" });
            var back = SafeTensors.Read(path, spec);
            for (var i = 0; i < spec.Parameters.Count; i++)
            {
                Assert.Equal(weights[i], back[i]);
            }

            Assert.Equal("tiny", SafeTensors.ReadMetadata(path)["arch"]);
            var all = SafeTensors.ReadAll(path);
            Assert.Equal(spec.Parameters.Select(p => p.Name).Order(StringComparer.Ordinal), all.Keys.Order(StringComparer.Ordinal));
            Assert.All(all.Values, t => Assert.Equal("F32", t.DType));
            Assert.Equal(0, (System.IO.File.ReadAllBytes(path).Length - 8 - 4 * (int)spec.ParameterCount) % 8); // header padded to 8
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void ReadAll_F64F16Bf16_ConvertedToFloat()
    {
        var data = new byte[8 + 2 + 2];
        BinaryPrimitives.WriteDoubleLittleEndian(data, 0.1);
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(8), (Half)1.5);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(10), (ushort)(BitConverter.SingleToInt32Bits(-2.5f) >> 16));
        var bytes = File("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[8,10]},\"c\":{\"dtype\":\"BF16\",\"shape\":[],\"data_offsets\":[10,12]}}", data);
        var t = SafeTensors.ReadAll(bytes);
        Assert.Equal(0.1f, t["a"].Values[0]);
        Assert.Equal(1.5f, t["b"].Values[0]);
        Assert.Equal(-2.5f, t["c"].Values[0]);
        Assert.Empty(t["c"].Shape);
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8, "dtype 'I64'")]
    [InlineData("{\"a\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "dtype 'Q4'")]
    [InlineData("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "no string 'dtype'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4, "no 'shape'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "shape entry -1")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "'data_offsets'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4, "'data_offsets'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4, "needs 8")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}", 8, "overlaps")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "gap")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8, "cover only 4")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4, "past the end")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "appears twice")]
    [InlineData("{\"__metadata__\":{\"k\":1}}", 0, "metadata 'k'")]
    [InlineData("{\"a\":5}", 0, "not an object")]
    [InlineData("{not json}", 0, "not valid JSON")]
    [InlineData("[1,2,3]", 0, "start with '{'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,4]}}", 4, "more than")]
    public void ReadAll_HostileHeader_ThrowsInvalidData(string header, int dataBytes, string fragment)
    {
        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.ReadAll(File(header, new byte[dataBytes])));
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAll_BadHeaderLength_ThrowsInvalidData()
    {
        Assert.Contains("8-byte", Assert.Throws<InvalidDataException>(() => SafeTensors.ReadAll(new byte[5])).Message, StringComparison.Ordinal);
        var bytes = File("{}", []);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1000);
        Assert.Contains("header length 1000", Assert.Throws<InvalidDataException>(() => SafeTensors.ReadAll(bytes)).Message, StringComparison.Ordinal);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        Assert.Throws<InvalidDataException>(() => SafeTensors.ReadAll(bytes));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 0);
        Assert.Throws<InvalidDataException>(() => SafeTensors.ReadAll(bytes));
    }

    [Fact]
    public void Read_EmptyHeader_NoTensors()
        => Assert.Empty(SafeTensors.ReadAll(File("{}      ", [])));

    [Fact]
    public void Read_MissingExtraOrMisShapedTensor_ThrowsNamingIt()
    {
        var spec = Tiny();
        var weights = NetworkWeights.Initialize(spec, 1);
        var good = SafeTensors.Serialize(weights);
        // Missing: a network with one more parameter.
        var b = new NetworkBuilder(3, 4, 4);
        var x = b.Conv2d(NetworkBuilder.Input, 2, kernel: 3, padding: 1, bias: true, weightName: "conv.weight");
        x = b.Relu(b.BatchNorm(x, "bn"));
        x = b.Conv2d(x, 2, kernel: 1, weightName: "extra.weight");
        b.Linear(b.GlobalAvgPool(x), 3, "fc");
        var bigger = b.Build();
        Assert.Contains("no tensor 'extra.weight'", Assert.Throws<InvalidDataException>(() => SafeTensors.Read(good, bigger)).Message, StringComparison.Ordinal);

        // Extra: the bigger network's file read into the tiny one.
        var biggerFile = SafeTensors.Serialize(NetworkWeights.Initialize(bigger, 1));
        Assert.Contains("'extra.weight' is not a parameter", Assert.Throws<InvalidDataException>(() => SafeTensors.Read(biggerFile, spec)).Message, StringComparison.Ordinal);
        Assert.Equal(SafeTensors.ReadAll(biggerFile)["fc.weight"].Values, SafeTensors.Read(biggerFile, spec, allowExtraTensors: true)["fc.weight"]);

        // Mis-shaped: fc with 4 outputs.
        var b2 = new NetworkBuilder(3, 4, 4);
        var y = b2.Conv2d(NetworkBuilder.Input, 2, kernel: 3, padding: 1, bias: true, weightName: "conv.weight");
        y = b2.Relu(b2.BatchNorm(y, "bn"));
        b2.Linear(b2.GlobalAvgPool(y), 4, "fc");
        Assert.Contains("'fc.weight' has shape [3,2]", Assert.Throws<InvalidDataException>(() => SafeTensors.Read(good, b2.Build())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingFile_Throws()
        => Assert.Throws<FileNotFoundException>(() => SafeTensors.Read(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.safetensors"), Tiny()));
}
