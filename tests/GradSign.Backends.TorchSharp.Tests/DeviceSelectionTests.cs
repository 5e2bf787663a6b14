using GradSign.Backends.TorchSharp;

namespace GradSign.Tests.TorchSharp;

/// <summary>Device and strategy selection, including the CUDA paths this machine cannot run.</summary>
public sealed class DeviceSelectionTests
{
    [Fact]
    public void Resolve_Cpu_NeverAsksForCuda()
        => Assert.Equal(TorchSharpDevice.Cpu, DeviceSelection.Resolve(TorchSharpDevice.Cpu, () => throw new InvalidOperationException("CUDA probed")));

    [Theory]
    [InlineData(TorchSharpDevice.Cuda, true, TorchSharpDevice.Cuda)]
    [InlineData(TorchSharpDevice.Auto, true, TorchSharpDevice.Cuda)]
    [InlineData(TorchSharpDevice.Auto, false, TorchSharpDevice.Cpu)]
    public void Resolve_FollowsCudaAvailability(TorchSharpDevice requested, bool available, TorchSharpDevice expected)
        => Assert.Equal(expected, DeviceSelection.Resolve(requested, () => available));

    [Fact]
    public void Resolve_CudaUnavailable_ThrowsNotSupportedExceptionNamingTheFix()
    {
        var ex = Assert.Throws<NotSupportedException>(() => DeviceSelection.Resolve(TorchSharpDevice.Cuda, () => false));
        Assert.Contains("torch.cuda.is_available()", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Auto", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UnknownDevice_ThrowsArgumentOutOfRangeException()
        => Assert.Throws<ArgumentOutOfRangeException>(() => DeviceSelection.Resolve((TorchSharpDevice)42, () => true));

    [Theory]
    [InlineData(PerSampleStrategy.Auto, TorchSharpDevice.Cpu, PerSampleStrategy.Loop)]
    [InlineData(PerSampleStrategy.Auto, TorchSharpDevice.Cuda, PerSampleStrategy.Batched)]
    [InlineData(PerSampleStrategy.Loop, TorchSharpDevice.Cuda, PerSampleStrategy.Loop)]
    [InlineData(PerSampleStrategy.Batched, TorchSharpDevice.Cpu, PerSampleStrategy.Batched)]
    public void Strategy_AutoDependsOnDevice(PerSampleStrategy requested, TorchSharpDevice device, PerSampleStrategy expected)
        => Assert.Equal(expected, DeviceSelection.Strategy(requested, device));

    [Fact]
    public void Backend_Default_RunsOnCpu()
    {
        var backend = new TorchSharpBackend();
        Assert.Equal(TorchSharpDevice.Cpu, backend.Device);
        Assert.Equal("torchsharp", backend.Name);
        Assert.StartsWith("2.10", TorchSharpBackend.LibTorchVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void Backend_CudaOnThisMachine_ThrowsNotSupportedException()
    {
        // The tests reference TorchSharp-cpu: no CUDA build of LibTorch, so CUDA is never available here.
        Assert.Throws<NotSupportedException>(() => new TorchSharpBackend(new TorchSharpBackendOptions { Device = TorchSharpDevice.Cuda }));
        Assert.Equal(TorchSharpDevice.Cpu, new TorchSharpBackend(new TorchSharpBackendOptions { Device = TorchSharpDevice.Auto }).Device);
    }

    [Fact]
    public void Backend_NonPositiveMemoryBudget_ThrowsArgumentException()
        => Assert.Throws<ArgumentException>(() => new TorchSharpBackend(new TorchSharpBackendOptions { PerSampleMemoryBytes = 0 }));
}
