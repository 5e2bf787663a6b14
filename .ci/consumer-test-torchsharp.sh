#!/usr/bin/env bash
# Consumer test of GradSign.Backends.TorchSharp: packs it and GradSign.Core 0.1.0 into a throw-away local feed, then
# restores, builds and runs a throw-away console app that references it and TorchSharp-cpu by id and version, with
# <GradSignPatchLibTorchSharp>true</GradSignPatchLibTorchSharp>. This checks what the repository's own projects cannot:
# that NuGet imports the package's build/ targets into an application and that the opt-in step then makes LibTorch load
# on a system whose libstdc++ lacks GLIBCXX_3.4.32 (Debian 12). Same isolation as consumer-test.sh: a fresh folder with
# its own nuget.config and an empty NuGet packages folder (TorchSharp-cpu, ~1.4 GB unpacked, is downloaded into it and
# deleted afterwards).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version=0.1.0
work="$(mktemp -d "${TMPDIR:-/tmp}/gradsign-consumer-torchsharp.XXXXXX")"
trap 'rm -rf "$work"' EXIT
feed="$work/feed" app="$work/app"
mkdir -p "$feed" "$app"

registry="$(sed -n 's/.*key="nuget.org"[^>]*value="\([^"]*\)".*/\1/p' "$root/nuget.config")"
if [[ -z "$registry" ]]; then echo "consumer test: no nuget.org source in $root/nuget.config" >&2; exit 1; fi
torchsharp="$(sed -n 's/.*Include="TorchSharp-cpu" Version="\([^"]*\)".*/\1/p' "$root/Directory.Packages.props")"

for project in GradSign.Core GradSign.Backends.TorchSharp; do
  dotnet pack "$root/src/$project" -c Release -o "$feed" -p:Version="$version" --nologo -v quiet
  test -f "$feed/$project.$version.nupkg"
done

for f in Directory.Build.props Directory.Build.targets Directory.Packages.props; do echo '<Project />' > "$work/$f"; done
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="offline" value="/opt/nuget/packages" />
    <add key="nuget.org" value="$registry" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="GradSign.*" /></packageSource>
    <packageSource key="offline"><package pattern="*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML

cat > "$app/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <GradSignPatchLibTorchSharp>true</GradSignPatchLibTorchSharp>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="GradSign.Backends.TorchSharp" Version="$version" />
    <PackageReference Include="TorchSharp-cpu" Version="$torchsharp" />
  </ItemGroup>
</Project>
XML

cat > "$app/Program.cs" <<'CS'
using GradSign.Backends;
using GradSign.Backends.Managed;
using GradSign.Backends.TorchSharp;
using GradSign.Data;
using GradSign.Networks;
using GradSign.Proxies;
using GradSign.SearchSpaces.NasBench201;

// A small NAS-Bench-201 network (C 8, N 1) scored on a random labelled batch of 8 images by both backends.
var arch = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
var weights = NetworkWeights.Initialize(NasBench201Network.Build(arch, new NasBench201NetworkOptions(Channels: 8, CellsPerStage: 1)), seed: 0);
var rng = new Random(0);
var batch = new Batch([.. Enumerable.Range(0, 8 * 3 * 32 * 32).Select(_ => (float)rng.NextDouble() - 0.5f)], [.. Enumerable.Range(0, 8).Select(i => i % 10)], 8, 3, 32, 32);
Console.WriteLine($"libtorch={TorchSharpBackend.LibTorchVersion}");
foreach (var proxy in ProxyRegistry.CreateDefault().Resolve("synflow,naswot"))
{
    var managed = proxy.Compute(weights, batch, new ProxyContext(new ManagedBackend())).Value;
    var torch = proxy.Compute(weights, batch, new ProxyContext(new TorchSharpBackend())).Value;
    Console.WriteLine($"{proxy.Id}={torch:R} managed={managed:R} relative_difference={Math.Abs(torch - managed) / Math.Abs(managed):E1}");
}
CS

export NUGET_PACKAGES="$work/packages"
(cd "$app" && dotnet run -c Release --nologo) | tee "$work/output.txt"

check() { # check DESCRIPTION COMMAND...
  local what="$1"; shift
  if ! "$@"; then echo "consumer test FAILED: $what" >&2; exit 1; fi
}
assets="$app/obj/project.assets.json"
check "GradSign.Backends.TorchSharp $version is a package in $assets" grep -q "\"GradSign.Backends.TorchSharp/$version\": {" "$assets"
check "no project reference in $assets" bash -c "! grep -q '\"type\": \"project\"' '$assets'"
check "GradSign.Backends.TorchSharp came from $feed" grep -q "\"source\": \"$feed\"" "$NUGET_PACKAGES/gradsign.backends.torchsharp/$version/.nupkg.metadata"
check "LibTorch 2.10 loaded" grep -Eq '^libtorch=2\.10\.' "$work/output.txt"
# SynFlow is float64 on both backends (tight); NASWOT counts ReLU codes (exact unless a code sits at 0).
check "synflow agrees to 1e-9" grep -Eq '^synflow=.* relative_difference=(0\.0E\+000|[0-9]\.[0-9]E-(009|0[1-9][0-9]|[1-9][0-9][0-9]))$' "$work/output.txt"
check "naswot agrees to 1e-6" grep -Eq '^naswot=.* relative_difference=(0\.0E\+000|[0-9]\.[0-9]E-(00[6-9]|0[1-9][0-9]))$' "$work/output.txt"
echo "consumer test: GradSign.Backends.TorchSharp $version restored from the local feed with TorchSharp-cpu $torchsharp, built and scored on LibTorch"
