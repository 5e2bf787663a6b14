using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace GradSign.Backends.TorchSharp;

/// <summary>Loads LibTorch through TorchSharp and turns a failed load into a message that says what to do.</summary>
internal static class LibTorchRuntime
{
    /// <summary>LibTorch's version as TorchSharp reports it.</summary>
    public static string Version => __version__;

    /// <summary><c>torch.cuda.is_available()</c>.</summary>
    public static bool CudaIsAvailable()
    {
        try
        {
            return cuda.is_available();
        }
        catch (Exception ex) when (ex is NotSupportedException or DllNotFoundException or TypeInitializationException)
        {
            throw LoadFailure(ex);
        }
    }

    /// <summary>Loads LibTorch's natives for <paramref name="device"/>.</summary>
    public static void EnsureLoaded(TorchSharpDevice device)
    {
        try
        {
            InitializeDeviceType(device == TorchSharpDevice.Cuda ? DeviceType.CUDA : DeviceType.CPU);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or DllNotFoundException or TypeInitializationException)
        {
            throw LoadFailure(ex);
        }
    }

    private static InvalidOperationException LoadFailure(Exception inner)
    {
        // TorchSharp's own message only says that the load failed; the dynamic loader's reason is in dlerror.
        var reason = "";
        try
        {
            NativeLibrary.Free(NativeLibrary.Load("LibTorchSharp", typeof(torch).Assembly, null));
        }
        catch (DllNotFoundException ex)
        {
            reason = ex.Message;
        }

        var why = reason.Contains("GLIBCXX_", StringComparison.Ordinal)
            ? "the system's libstdc++ is older than the one TorchSharp's libLibTorchSharp.so was built against (GCC 13, GLIBCXX_3.4.32; " +
              "Debian 12 and Ubuntu 22.04 have older ones). Build the application with <GradSignPatchLibTorchSharp>true</GradSignPatchLibTorchSharp>, " +
              "which rewrites that one version requirement in the copied library (see the GradSign documentation, backends page)."
            : "the application must reference TorchSharp-cpu (or a CUDA LibTorch package) besides GradSign.Backends.TorchSharp.";
        return new InvalidOperationException(
            "LibTorch could not be loaded: " + why + (reason.Length > 0 ? $" Loader: {reason}" : ""),
            inner);
    }
}
