#!/usr/bin/env bash
# Consumer test: packs GradSign.Core 0.1.0 into a throw-away local feed, then restores, builds and runs a throw-away
# console app that references the package by id and version, the way another .NET project would. The app lives in a
# fresh temporary folder with its own nuget.config and an empty NuGet packages folder, so nothing from this repository
# (Directory.Build.props, central package versions, project references, a stale GradSign.Core in the machine's package
# cache) can stand in for the package. GradSign.* may come only from the local feed (packageSourceMapping); its
# dependencies (MathNet.Numerics, CsvHelper, System.Numerics.Tensors, ...) restore from the registry that this
# repository's nuget.config names, or from /opt/nuget/packages.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version=0.1.0
work="$(mktemp -d "${TMPDIR:-/tmp}/gradsign-consumer.XXXXXX")"
trap 'rm -rf "$work"' EXIT
feed="$work/feed" app="$work/app"
mkdir -p "$feed" "$app"

registry="$(sed -n 's/.*key="nuget.org"[^>]*value="\([^"]*\)".*/\1/p' "$root/nuget.config")"
if [[ -z "$registry" ]]; then echo "consumer test: no nuget.org source in $root/nuget.config" >&2; exit 1; fi

dotnet pack "$root/src/GradSign.Core" -c Release -o "$feed" -p:Version="$version" --nologo -v quiet
dotnet pack "$root/src/GradSign.Cli" -c Release -o "$feed" -p:Version="$version" --nologo -v quiet
test -f "$feed/GradSign.Core.$version.nupkg"
test -f "$feed/GradSign.Cli.$version.nupkg"

# Empty MSBuild and NuGet files stop the upward searches at the temporary folder.
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
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="GradSign.Core" Version="$version" />
  </ItemGroup>
</Project>
XML

cat > "$app/Program.cs" <<'CS'
using GradSign.Backends;
using GradSign.Backends.Managed;
using GradSign.Networks;
using GradSign.Proxies;
using GradSign.SearchSpaces.NasBench201;

// A small NAS-Bench-201 network (C 8, N 1) scored on a random labelled batch of 8 images.
var arch = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
var spec = NasBench201Network.Build(arch, new NasBench201NetworkOptions(Channels: 8, CellsPerStage: 1));
var weights = NetworkWeights.Initialize(spec, seed: 0);
var rng = new Random(0);
var batch = new Batch([.. Enumerable.Range(0, 8 * 3 * 32 * 32).Select(_ => (float)rng.NextDouble() - 0.5f)], [.. Enumerable.Range(0, 8).Select(i => i % 10)], 8, 3, 32, 32);
var context = new ProxyContext(new ManagedBackend());
var assembly = typeof(NetworkWeights).Assembly;
Console.WriteLine($"GradSign.Core {assembly.GetName().Version} from {assembly.Location}");
Console.WriteLine($"parameters={spec.ParameterCount}");
foreach (var proxy in ProxyRegistry.CreateDefault().Resolve("synflow,naswot"))
{
    Console.WriteLine($"{proxy.Id}={proxy.Compute(weights, batch, context).Value:R}");
}
CS

export NUGET_PACKAGES="$work/packages"
(cd "$app" && dotnet run -c Release --nologo) | tee "$work/output.txt"

check() { # check DESCRIPTION COMMAND...
  local what="$1"; shift
  if ! "$@"; then echo "consumer test FAILED: $what" >&2; exit 1; fi
}
# The package, not a project, must have been used, and it must have come from the local feed.
assets="$app/obj/project.assets.json"
check "GradSign.Core $version is a package in $assets" grep -q "\"GradSign.Core/$version\": {" "$assets"
check "no project reference in $assets" bash -c "! grep -q '\"type\": \"project\"' '$assets'"
check "GradSign.Core came from $feed" grep -q "\"source\": \"$feed\"" "$NUGET_PACKAGES/gradsign.core/$version/.nupkg.metadata"
check "the app loaded GradSign.Core $version" grep -q "^GradSign.Core $version.0 from " "$work/output.txt"
check "a positive parameter count" grep -Eq '^parameters=[1-9][0-9]*$' "$work/output.txt"
check "a finite positive synflow score" grep -Eq '^synflow=[0-9]+(\.[0-9]+)?(E\+[0-9]+)?$' "$work/output.txt"
check "a finite positive naswot score" grep -Eq '^naswot=[0-9]+(\.[0-9]+)?$' "$work/output.txt"

# The command line as a .NET tool, installed from the same feed as README says.
(cd "$work" && dotnet tool install GradSign.Cli --version "$version" --tool-path "$work/tools") > /dev/null
"$work/tools/gradsign" --help > "$work/help.txt"
check "the gradsign tool runs and lists its commands" grep -q "correlate" "$work/help.txt"
"$work/tools/gradsign" score --space nb201 --arch '|nor_conv_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|none~2|' --proxies params,flops --json > "$work/tool.txt"
check "the gradsign tool scores a cell" grep -Eq '"params":[1-9][0-9]*' "$work/tool.txt"
echo "consumer test: GradSign.Core $version restored from the local feed, built and scored a network; the gradsign tool installed and ran"
