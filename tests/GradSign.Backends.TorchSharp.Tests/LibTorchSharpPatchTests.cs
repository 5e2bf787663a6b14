using GradSign.Build;

namespace GradSign.Tests.TorchSharp;

/// <summary>The opt-in build step that rewrites libLibTorchSharp.so's GLIBCXX_3.4.32 requirement (build/GradSignPatchLibTorchSharp.cs).</summary>
public sealed class LibTorchSharpPatchTests
{
    /// <summary>The unpatched library in the NuGet package folder (restore put it there for this project).</summary>
    private static string Original
    {
        get
        {
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
                ? p
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var version = typeof(global::TorchSharp.torch).Assembly.GetName().Version!;
            return Path.Combine(packages, "torchsharp", $"{version.Major}.{version.Minor}.{version.Build}", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        }
    }

    /// <summary>The copy the build step patched in this test project's output folder.</summary>
    private static string Copied => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void ElfHash_OfGlibcxxBaseVersion_IsTheValueLinkersWrite()
        => Assert.Equal(0x08922974u, ElfVersionNeeds.ElfHash("GLIBCXX_3.4")); // objdump -p: "0x08922974 0x00 02 GLIBCXX_3.4"

    [Fact]
    public void Original_RequiresGlibcxx3432_AndIsLeftUntouchedByTheBuild()
    {
        var required = ElfVersionNeeds.Required(File.ReadAllBytes(Original));
        Assert.Contains(LibTorchSharpPatch.Newer, required);
        Assert.Contains(LibTorchSharpPatch.Base, required);
    }

    [Fact]
    public void Rewrite_ChangesOnlyThatRequirement_AndASecondRunChangesNothing()
    {
        var original = File.ReadAllBytes(Original);
        var patched = (byte[])original.Clone();
        Assert.Equal(1, ElfVersionNeeds.Rewrite(patched, LibTorchSharpPatch.Newer, LibTorchSharpPatch.Base));

        var before = ElfVersionNeeds.Required(original);
        var after = ElfVersionNeeds.Required(patched);
        Assert.Equal(before.Select(n => n == LibTorchSharpPatch.Newer ? LibTorchSharpPatch.Base : n), after);

        // Only the entry's hash and name offset (8 bytes at most) change; the file keeps its size.
        Assert.Equal(original.Length, patched.Length);
        Assert.InRange(original.Zip(patched).Count(t => t.First != t.Second), 1, 8);

        var again = (byte[])patched.Clone();
        Assert.Equal(0, ElfVersionNeeds.Rewrite(again, LibTorchSharpPatch.Newer, LibTorchSharpPatch.Base));
        Assert.Equal(patched, again);
    }

    [Fact]
    public void PatchFile_WritesANewFile_AndIsIdempotent()
    {
        var folder = Directory.CreateTempSubdirectory("gradsign-patch-");
        try
        {
            var path = Path.Combine(folder.FullName, "libLibTorchSharp.so");
            File.Copy(Original, path);
            Assert.True(LibTorchSharpPatch.PatchFile(path));
            Assert.DoesNotContain(LibTorchSharpPatch.Newer, ElfVersionNeeds.Required(File.ReadAllBytes(path)));
            var once = File.ReadAllBytes(path);
            Assert.False(LibTorchSharpPatch.PatchFile(path));
            Assert.Equal(once, File.ReadAllBytes(path));
            Assert.Single(folder.GetFiles()); // no temporary left behind
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Rewrite_TargetNotInStringTable_ThrowsInvalidDataException()
    {
        var elf = File.ReadAllBytes(Original);
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Rewrite(elf, LibTorchSharpPatch.Newer, "GLIBCXX_9.9"));
    }

    [Fact]
    public void Required_NotAnElfFile_ThrowsInvalidDataException()
        => Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Required(new byte[128]));

    [Fact]
    public void OutputCopy_OnAMachineWhoseLibStdCxxLacksGlibcxx3432_IsPatched()
    {
        // The test project sets GradSignPatchLibTorchSharp=true: where this machine's libstdc++ lacks the version (Debian 12),
        // the build step must have rewritten the copy this test host loaded; elsewhere the copy stays as shipped.
        Assert.True(OperatingSystem.IsLinux(), "the native shim tested here is the linux-x64 one");
        var libstdcxx = LibTorchSharpPatch.FindLibStdCxx();
        Assert.NotNull(libstdcxx);
        var hostHasIt = ElfVersionNeeds.MentionsVersion(File.ReadAllBytes(libstdcxx), LibTorchSharpPatch.Newer);
        Assert.Equal(hostHasIt, ElfVersionNeeds.Required(File.ReadAllBytes(Copied)).Contains(LibTorchSharpPatch.Newer));
    }
}
